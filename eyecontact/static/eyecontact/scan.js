// Reading badge codes with the camera: QR, PDF417, Aztec, Data Matrix and Code 128.
//
// ZXing (zxing-wasm, vendored in static/vendor and served by Eye Contact, so it works offline)
// reads a frame of the camera's video. Where WebAssembly cannot start, QR codes are still read
// with jsQR. The server reads the payload properly (eyecontact/events/badges.py); the preview
// here only names who was scanned before that, and says when the badge names nobody.
"use strict";

(function () {
  var script = document.currentScript;
  var WASM_URL = script ? script.dataset.wasm : "";
  var FORMATS = ["QRCode", "PDF417", "Aztec", "DataMatrix", "Code128"];
  // Frames are read at most this wide: enough for a PDF417's thin bars across a badge.
  var MAX_WIDTH = 1280;

  function frameOf(video, canvas, context) {
    var scale = Math.min(1, MAX_WIDTH / (video.videoWidth || 1));
    var w = Math.round(video.videoWidth * scale);
    var h = Math.round(video.videoHeight * scale);
    if (!w || !h) return null;
    canvas.width = w;
    canvas.height = h;
    context.drawImage(video, 0, 0, w, h);
    return context.getImageData(0, 0, w, h);
  }

  function jsqrReader() {
    if (!window.jsQR) return null;
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    return function (video) {
      var frame = frameOf(video, canvas, context);
      if (!frame) return Promise.resolve(null);
      var code = window.jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "attemptBoth" });
      return Promise.resolve(code && code.data ? code.data : null);
    };
  }

  function zxingReader() {
    var zxing = window.ZXingWASM;
    if (!zxing || !window.WebAssembly || !WASM_URL) return Promise.reject(new Error("no ZXing"));
    var ready = zxing.prepareZXingModule({
      overrides: {
        locateFile: function (path, prefix) {
          return path.endsWith(".wasm") ? WASM_URL : prefix + path;
        },
      },
      fireImmediately: true,
    });
    var options = { formats: FORMATS, tryHarder: true, maxNumberOfSymbols: 1 };
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    return Promise.resolve(ready).then(function () {
      return function (video) {
        var frame = frameOf(video, canvas, context);
        if (!frame) return Promise.resolve(null);
        return zxing.readBarcodes(frame, options).then(function (codes) {
          var found = codes.filter(function (code) { return code.isValid && code.text; });
          return found.length ? found[0].text : null;
        });
      };
    });
  }

  // A function reading one video frame to the code's text (or null), once the reader is ready.
  function reader() {
    return zxingReader().catch(function () { return jsqrReader(); });
  }

  var EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

  // Who a lead-retrieval record ("ID^First^Last^Company^e-mail") names, roughly.
  function leadPreview(text) {
    var separator = ["^", "|", "\t"].find(function (s) { return text.indexOf(s) !== -1; });
    if (!separator) return null;
    var fields = text.split(separator).map(function (f) { return f.trim(); });
    var email = fields.find(function (f) { return EMAIL.test(f); }) || "";
    var words = fields.filter(function (f, i) {
      if (!f || EMAIL.test(f) || /^(https?:|www\.)/i.test(f) || !/\p{L}/u.test(f)) return false;
      return !(i === 0 && /\d/.test(f) && !/\s/.test(f));
    });
    if (!words.length && !email) return null;
    var name = words.length > 1 && !/\s/.test(words[0]) ? words[0] + " " + words[1] : words[0] || "";
    return { name: name, email: email };
  }

  // The same rule as _is_record in eyecontact/events/badges.py.
  function isRecord(text) {
    if (/\n/.test(text) || !/\d/.test(text)) return false;
    var fields = text.split(/[;,=:#/]/).map(function (f) { return f.trim(); }).filter(Boolean);
    return fields.length >= 3 && fields.every(function (f) { return f.split(/\s+/).length <= 3; });
  }

  // What to show for a scanned payload: a name when the badge has one, and whether to ask.
  function preview(payload) {
    var text = payload.trim();
    var m = /^MECARD:(?:.*?;)?N:([^;]*)/i.exec(text);
    if (m) {
      var parts = m[1].split(",");
      return { name: (parts.length > 1 ? parts[1] + " " + parts[0] : parts[0]).trim(), needsName: false };
    }
    m = /^BIZCARD:(?:.*?;)?N:([^;]*)(?:;X:([^;]*))?/i.exec(text);
    if (m) return { name: (m[1] + " " + (m[2] || "")).trim(), needsName: false };
    if (/^BEGIN:VCARD/i.test(text)) {
      m = /^FN[;:](?:[^:\n]*:)?(.*)$/im.exec(text);
      return { name: m ? m[1].trim() : "", needsName: false };
    }
    // Codes that are not badges: the server refuses them too (NOT_A_BADGE in storing.py).
    if (/^WIFI:/i.test(text)) return { name: "", needsName: true, notBadge: "That code is a Wi-Fi network, not a badge" };
    var lead = leadPreview(text);
    if (lead) return { name: lead.name || lead.email, needsName: false };
    if (/linkedin\.com\/in\/|^linkedin:\/\/in\//i.test(text)) return { name: "LinkedIn profile", needsName: false };
    // An event app's link is a badge only when it ends in a badge id of the attendee list.
    if (/^https?:\/\/\S+$/i.test(text)) {
      var tail = text.split(/[?#]/)[0].split("/").filter(Boolean).pop() || "";
      return { name: "", needsName: false, linkId: tail, notBadge: "That code is a web link, not a badge or a LinkedIn profile" };
    }
    // A registration id: the attendee list may name them.
    if (/^[A-Za-z0-9][A-Za-z0-9_\-./]{2,63}$/.test(text)) return { name: "", needsName: false };
    // A record in a layout not read here (short fields with a number): kept, and the name asked.
    if (isRecord(text)) return { name: "", needsName: true };
    return { name: "", needsName: true, notBadge: "That code is plain text, not a badge" };
  }

  window.EyeContactScan = { reader: reader, preview: preview, formats: FORMATS.slice() };
})();
