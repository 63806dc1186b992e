// The booth capture page: scan a badge, pick an attendee or type a name, and never lose a capture.
//
// Every capture gets an id made here (crypto.randomUUID) and is written to this phone's
// IndexedDB queue before anything is sent. The queue goes to the API's captures/sync, which
// stores each capture once per id and answers per capture: "created" and "existing" leave the
// queue, "refused" ones stay, with the server's reason, to be edited or discarded. A failed
// request leaves the queue as it was; it is sent again when the browser comes back online and
// every little while, and after the Retry-After of a 503 (the server busy writing an import). The attendee list is kept in IndexedDB too, so picking works offline.
//
// A business card photographed with a capture waits in the same queue, as bytes. Once online,
// the photo goes first (cards.js; once per capture id, however often it is sent), the server
// reads it on its queue, and the capture shows the person the card proposes, to confirm; only
// then is the capture sent, with the confirmed name, organisation and e-mail. A card the server
// could not read says so, with its photo, and the capture waits for the details to be typed.
//
// A capture being corrected in the form (a refused one, or a card's details being typed) stays in
// the queue, marked so and never sent, until the form saves it again under the same id.
(function () {
  "use strict";

  var DB_NAME = "eyecontact-capture";
  var QUEUE = "queue";
  var ATTENDEES = "attendees";
  var RETRY_MS = 15000;
  var SCAN_EVERY_MS = 120;
  var MAX_RESULTS = 20;

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  // --- IndexedDB, as promises -------------------------------------------------------------

  var dbPromise = null;

  function openDb() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        var queue = db.createObjectStore(QUEUE, { keyPath: "client_id" });
        queue.createIndex("exhibit", "exhibit");
        db.createObjectStore(ATTENDEES, { keyPath: "exhibit" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    return dbPromise;
  }

  function withStore(name, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var result;
        Promise.resolve(work(tx.objectStore(name))).then(function (value) { result = value; });
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function requested(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  ready(function () {
    var root = document.getElementById("capture");
    if (!root || !window.indexedDB) return;
    var exhibit = root.dataset.exhibit;
    var syncUrl = root.dataset.syncUrl;
    var batch = parseInt(root.dataset.batch, 10) || 500;
    var form = document.getElementById("capture-form");
    var field = function (name) { return form.elements.namedItem(name); };
    var el = function (id) { return document.getElementById(id); };
    var attendees = [];
    var syncing = null;
    var lastProblem = "";
    var cardsUrl = root.dataset.cardsUrl;
    var cardPhoto = null; // {data: ArrayBuffer, type} of the card photographed for this capture
    var proposals = {}; // the confirm form of each read card, kept while the queue redraws
    var cardTimer = null;

    // --- The queue ------------------------------------------------------------------------

    function queued() {
      return withStore(QUEUE, "readonly", function (store) {
        return requested(store.index("exhibit").getAll(exhibit));
      }).then(function (items) {
        return items.sort(function (a, b) { return a.queued_at < b.queued_at ? -1 : 1; });
      });
    }

    function putAll(items) {
      return withStore(QUEUE, "readwrite", function (store) {
        items.forEach(function (item) { store.put(item); });
      });
    }

    function removeAll(ids) {
      return withStore(QUEUE, "readwrite", function (store) {
        ids.forEach(function (id) { store.delete(id); });
      });
    }

    function csrfToken() {
      var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
      if (match) return decodeURIComponent(match[1]);
      var meta = document.querySelector('meta[name="csrf-token"]');
      return meta ? meta.content : "";
    }

    function post(captures) {
      return fetch(syncUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ captures: captures }),
      });
    }

    function messagesOf(errors) {
      return (errors || []).map(function (error) {
        var where = (error.loc || []).filter(function (part) {
          return part !== "body" && part !== "payload" && part !== "captures" && typeof part !== "number";
        });
        return (where.length ? where.join(" ") + ": " : "") + (error.msg || "refused");
      }).join(" ") || "The server refused this capture.";
    }

    // Sends one chunk; answers the problem that stopped it, or "" when the server answered.
    function sendChunk(items) {
      var bodies = items.map(function (item) {
        // The attendee's name is for this page's list; the API knows the attendee by id.
        var body = Object.assign({}, item.body);
        delete body.attendee_name;
        delete body.card;
        return body;
      });
      return post(bodies).then(function (response) {
        if (response.status === 200) {
          return response.json().then(function (answer) {
            var done = [];
            var refused = [];
            answer.results.forEach(function (result) {
              var item = items.find(function (i) { return i.client_id === result.client_id; });
              if (!item) return;
              if (result.status === "created" || result.status === "existing") done.push(item.client_id);
              else {
                item.state = "refused";
                item.error = messagesOf(result.errors);
                refused.push(item);
              }
            });
            return removeAll(done).then(function () { return putAll(refused); }).then(function () { return ""; });
          });
        }
        if (response.status === 422) {
          // The batch as a whole was malformed: send one by one, so only the bad ones wait.
          if (items.length > 1) {
            return items.reduce(function (chain, item) {
              return chain.then(function (problem) {
                return sendChunk([item]).then(function (next) { return problem || next; });
              });
            }, Promise.resolve(""));
          }
          return response.json().then(function (answer) {
            items[0].state = "refused";
            items[0].error = messagesOf(answer.detail);
            return putAll(items).then(function () { return ""; });
          });
        }
        if (response.status === 503) {
          // The server is busy writing (an import holds the database): the captures stay in
          // this queue, untouched, and go again once the server says it may have room.
          var wait = parseInt(response.headers.get("Retry-After") || "", 10);
          if (!(wait > 0)) wait = Math.round(RETRY_MS / 1000);
          retryIn(wait);
          return "The server is busy for a moment; your captures wait on this phone and are sent again in " + wait + " s.";
        }
        if (response.status === 401) return "You are logged out: log in again, then the queue is sent.";
        if (response.status === 403) {
          return response.json().then(function (answer) {
            return (answer && answer.detail) || "The server refused the queue.";
          }, function () { return "The server refused the queue."; });
        }
        return "The server answered " + response.status + "; trying again soon.";
      });
    }

    var retryTimer = null;
    function retryIn(seconds) {
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = setTimeout(function () { retryTimer = null; sync(); }, Math.min(seconds, 300) * 1000);
    }

    function sync() {
      if (syncing) return syncing;
      syncing = queued().then(function (items) {
        return sendCards(items).then(function (problem) {
          return problem ? Promise.reject(problem) : queued();
        });
      }).then(function (items) {
        var waiting = items.filter(function (item) { return item.state === "waiting"; });
        var chain = Promise.resolve("");
        for (var start = 0; start < waiting.length; start += batch) {
          (function (chunk) {
            chain = chain.then(function (problem) { return problem || sendChunk(chunk); });
          })(waiting.slice(start, start + batch));
        }
        return chain;
      }).then(function (problem) {
        lastProblem = problem;
      }, function (problem) {
        lastProblem = typeof problem === "string" ? problem
          : "No connection: captures wait on this phone and are sent when it is back.";
      }).then(function () {
        syncing = null;
        return render();
      }).then(function (items) {
        // A card still being read on the server: ask again in a moment.
        var reading = items.some(function (item) { return item.state === "card" && item.card && item.card.scan; });
        if (reading && !cardTimer) cardTimer = setTimeout(function () { cardTimer = null; sync(); }, 2000);
        return items;
      });
      return syncing;
    }

    // Sends the card photos of the queue and asks how their reading went; answers the problem
    // that stopped it, or "". A card read moves its capture to "confirm", one that could not be
    // read to "unreadable"; neither is sent before the user has said who it is.
    function sendCards(items) {
      var cards = items.filter(function (item) { return item.state === "card" && item.card; });
      return cards.reduce(function (chain, item) {
        return chain.then(function (problem) {
          if (problem) return problem;
          var asked = item.card.scan
            ? window.EyeContactCards.scan(cardsUrl, item.card.scan)
            : window.EyeContactCards.upload(cardsUrl, item.card.photo, item.card.type, item.client_id);
          return asked.then(function (scan) {
            item.card.scan = scan.id;
            delete item.card.photo; // the server keeps it now
            if (scan.status === "read") item.state = "confirm";
            else if (scan.status === "unreadable") item.state = "unreadable";
            else if (scan.status === "confirmed") {
              // Confirmed from another tab or before an answer was lost: send the capture.
              item.state = "waiting";
              if (!item.body.name) item.body.name = scan.fields.name || scan.match_name || "";
            }
            item.card.read = scan;
            return putAll([item]).then(function () { return ""; });
          }, function (error) {
            if (!error || !error.status) throw error; // no connection: everything waits
            if (error.status === 503 || error.status >= 500) return "The server is busy; the card photo is sent again soon.";
            if (error.status === 401) return "You are logged out: log in again, then the queue is sent.";
            item.state = "refused";
            item.error = error.message;
            return putAll([item]).then(function () { return ""; });
          });
        });
      }, Promise.resolve(""));
    }

    function cardConfirmed(item, payload) {
      var scan = item.card.read || {};
      item.body.name = payload.name || scan.match_name || "";
      item.body.organization = payload.organization || "";
      item.body.email = payload.emails.length ? payload.emails[0] : "";
      item.state = "waiting";
      delete proposals[item.client_id];
      return putAll([item]).then(function () {
        notice("Card confirmed: " + describe(item.body) + ".");
        return sync();
      });
    }

    // --- What the page shows --------------------------------------------------------------

    function describe(body) {
      if (body.name) return body.name + (body.organization ? " (" + body.organization + ")" : "");
      if (body.attendee_name) return body.attendee_name;
      if (body.payload) return badgeName(body.payload) || "Scanned badge";
      if (body.card) return "A business card";
      return "Unknown";
    }

    function render() {
      return queued().then(function (items) {
        el("queue-count").textContent = String(items.length);
        el("queue-total").textContent = String(items.length);
        el("queue-pill").classList.toggle("has-waiting", items.length > 0);
        el("queue-empty").hidden = items.length > 0;
        var online = navigator.onLine;
        el("net-state").textContent = online ? "Online" : "Offline";
        el("net-state").classList.toggle("is-offline", !online);
        el("sync-state").textContent = items.length ? lastProblem : "";
        var list = el("queue-list");
        list.textContent = "";
        items.forEach(function (item) {
          var li = document.createElement("li");
          li.className = "queue-item queue-" + item.state;
          li.dataset.clientId = item.client_id;
          var head = document.createElement("p");
          var who = document.createElement("strong");
          who.textContent = describe(item.body);
          head.appendChild(who);
          head.appendChild(document.createTextNode(
            " · " + (item.body.kind === "visit" ? "Visit" : "Conversation") + " · " +
            new Date(item.body.captured_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
          ));
          li.appendChild(head);
          if (item.state === "confirm") {
            if (!proposals[item.client_id]) {
              proposals[item.client_id] = window.EyeContactCards.proposal(cardsUrl, item.card.read, {
                heading: "Card read: check and confirm",
                confirmLabel: "Confirm and send",
                onConfirm: function (answer, payload) { cardConfirmed(item, payload); },
              });
            }
            li.appendChild(proposals[item.client_id]);
            var later = document.createElement("p");
            later.className = "actions";
            later.appendChild(button("Discard", function () { discard(item); }, "btn-danger"));
            li.appendChild(later);
          } else if (item.state === "unreadable") {
            li.appendChild(window.EyeContactCards.unreadable(item.card.read));
            var next = document.createElement("p");
            next.className = "actions";
            next.appendChild(button("Type the details", function () { edit(item, true); }));
            next.appendChild(button("Discard", function () { discard(item); }, "btn-danger"));
            li.appendChild(next);
          } else if (item.state === "editing") {
            var editing = document.createElement("p");
            editing.className = "muted small";
            editing.textContent = "Being corrected: save it with the form above.";
            li.appendChild(editing);
            var again = document.createElement("p");
            again.className = "actions";
            again.appendChild(button("Edit", function () { edit(item, item.typing); }));
            again.appendChild(button("Discard", function () { discard(item); }, "btn-danger"));
            li.appendChild(again);
          } else if (item.state === "card") {
            var reading = document.createElement("p");
            reading.className = "muted small";
            reading.textContent = item.card.scan ? "Reading the card…" : "Card photo waiting to be sent";
            li.appendChild(reading);
          } else if (item.state === "refused") {
            var error = document.createElement("p");
            error.className = "queue-error";
            error.textContent = "Refused: " + item.error;
            li.appendChild(error);
            var actions = document.createElement("p");
            actions.className = "actions";
            actions.appendChild(button("Edit", function () { edit(item); }));
            actions.appendChild(button("Discard", function () { discard(item); }, "btn-danger"));
            li.appendChild(actions);
          } else {
            var state = document.createElement("p");
            state.className = "muted small";
            state.textContent = "Waiting to send";
            li.appendChild(state);
          }
          list.appendChild(li);
        });
        return items;
      });
    }

    function button(text, onClick, extra) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "btn btn-small " + (extra || "");
      b.textContent = text;
      b.addEventListener("click", onClick);
      return b;
    }

    function notice(text) {
      var box = el("capture-notice");
      box.textContent = text;
      box.hidden = false;
    }

    function problem(text) {
      var box = el("capture-error");
      box.textContent = text;
      box.hidden = !text;
    }

    // --- Who: scanned, picked or typed ----------------------------------------------------

    // A name to show for a badge before the server reads it properly (see scan.js).
    function badgeName(payload) {
      return window.EyeContactScan ? window.EyeContactScan.preview(payload).name : "";
    }

    function showWho(text, source) {
      el("who-text").textContent = text;
      el("who-source").textContent = source;
      el("who-picked").hidden = !text;
    }

    function clearWho() {
      field("payload").value = "";
      field("attendee_id").value = "";
      form.dataset.attendeeName = "";
      showWho("", "");
    }

    function scanned(payload) {
      clearWho();
      var seen = window.EyeContactScan ? window.EyeContactScan.preview(payload) : { name: "", needsName: false };
      // A bare registration id, or an event app's link ending in one: the attendee list kept on
      // this phone may name them.
      var badgeId = seen.linkId || payload.trim();
      var listed = seen.name ? null : attendees.find(function (a) { return a.badge_id && a.badge_id === badgeId; });
      if (seen.notBadge && !(seen.linkId && listed)) {
        // Not kept as the badge: the capture would be refused. The staff member scans again,
        // picks the attendee or types the name.
        el("scan-message").textContent = seen.notBadge + ": scan the attendee's badge, find them on the attendee list or type their name.";
        el("scan-message").classList.add("scan-refused");
        if (navigator.vibrate) navigator.vibrate([60, 60, 60]);
        return;
      }
      el("scan-message").classList.remove("scan-refused");
      field("payload").value = payload;
      if (listed) {
        showWho(listed.name + (listed.organization ? " (" + listed.organization + ")" : ""), "from the badge and the attendee list");
      } else {
        showWho(seen.name || payload.slice(0, 60), "from the badge");
      }
      if (seen.needsName) {
        // The code is kept as scanned; the person's name comes from whoever is at the booth.
        el("scan-message").textContent = "Badge read, but it does not say who this is: type their name.";
        field("name").focus();
      } else {
        el("scan-message").textContent = "Badge read.";
      }
      if (navigator.vibrate) navigator.vibrate(60);
    }

    function pick(attendee) {
      clearWho();
      field("attendee_id").value = String(attendee.id);
      form.dataset.attendeeName = attendee.name;
      showWho(attendee.name + (attendee.organization ? " (" + attendee.organization + ")" : ""), "from the attendee list");
      el("attendee-search").value = "";
      el("attendee-results").textContent = "";
    }

    el("who-clear").addEventListener("click", clearWho);

    // --- The business card ------------------------------------------------------------------

    function clearCard() {
      cardPhoto = null;
      el("card-photo").value = "";
      el("card-thumb").removeAttribute("src");
      el("card-taken").hidden = true;
    }

    el("card-photo").addEventListener("change", function () {
      var file = this.files && this.files[0];
      if (!file) return;
      file.arrayBuffer().then(function (data) {
        cardPhoto = { data: data, type: file.type || "image/jpeg" };
        el("card-taken").hidden = false;
        problem("");
        // The thumbnail is read from the photo itself: it shows offline, and nothing is fetched.
        var reader = new FileReader();
        reader.onload = function () { el("card-thumb").src = reader.result; };
        reader.readAsDataURL(file);
      });
    });
    el("card-clear").addEventListener("click", clearCard);

    // --- The attendee list, cached for offline -------------------------------------------

    function showAttendees(note) {
      el("attendee-state").textContent = attendees.length
        ? attendees.length + " attendee" + (attendees.length === 1 ? "" : "s") + note
        : "No attendee list for this event yet.";
    }

    function loadAttendees() {
      withStore(ATTENDEES, "readonly", function (store) {
        return requested(store.get(exhibit));
      }).then(function (cached) {
        if (cached && !attendees.length) {
          attendees = cached.items;
          showAttendees(" (kept on this phone)");
        }
      }).catch(function () {});
      var all = [];
      function page(offset) {
        var url = root.dataset.attendeesUrl + "?limit=500&offset=" + offset;
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (!response.ok) throw new Error("attendees " + response.status);
          return response.json();
        }).then(function (answer) {
          all = all.concat(answer.items);
          if (answer.items.length && all.length < answer.count) return page(all.length);
          return all;
        });
      }
      page(0).then(function (items) {
        attendees = items;
        showAttendees("");
        return withStore(ATTENDEES, "readwrite", function (store) {
          store.put({ exhibit: exhibit, items: items, saved_at: new Date().toISOString() });
        });
      }).catch(function () {
        if (!attendees.length) el("attendee-state").textContent = "The attendee list could not be loaded; type the name instead.";
      });
    }

    el("attendee-search").addEventListener("input", function () {
      var words = this.value.toLowerCase().split(/\s+/).filter(Boolean);
      var results = el("attendee-results");
      results.textContent = "";
      if (!words.length) return;
      var found = attendees.filter(function (a) {
        var text = (a.name + " " + a.organization + " " + a.badge_id).toLowerCase();
        return words.every(function (w) { return text.indexOf(w) !== -1; });
      }).slice(0, MAX_RESULTS);
      found.forEach(function (attendee) {
        var li = document.createElement("li");
        var b = document.createElement("button");
        b.type = "button";
        b.className = "attendee-option";
        b.textContent = attendee.name;
        if (attendee.organization) {
          var org = document.createElement("span");
          org.className = "sub";
          org.textContent = attendee.organization;
          b.appendChild(org);
        }
        b.addEventListener("click", function () { pick(attendee); });
        li.appendChild(b);
        results.appendChild(li);
      });
      if (!found.length) {
        var none = document.createElement("li");
        none.className = "muted";
        none.textContent = "No attendee matches; type their details below.";
        results.appendChild(none);
      }
    });

    // --- The camera -----------------------------------------------------------------------

    var stream = null;
    var scanTimer = null;

    function makeDetector() {
      if (window.EyeContactScan) return window.EyeContactScan.reader();
      return Promise.resolve(null);
    }

    function stopScan() {
      if (scanTimer) clearTimeout(scanTimer);
      scanTimer = null;
      if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
      el("scanner").hidden = true;
      el("scan-start").hidden = false;
    }

    function startScan() {
      var message = el("scan-message");
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        message.textContent = "This browser cannot use the camera here: pick the attendee or type the name.";
        return;
      }
      message.textContent = "Starting the camera…";
      var video = el("scan-video");
      navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          el("scanner").hidden = false;
          el("scan-start").hidden = true;
          return video.play().then(makeDetector);
        })
        .then(function (detect) {
          if (!detect) {
            stopScan();
            message.textContent = "This browser cannot read badge codes: pick the attendee or type the name.";
            return;
          }
          message.textContent = "Hold the badge's code in the frame.";
          var tick = function () {
            if (!stream) return;
            detect(video).then(function (payload) {
              if (!stream) return;
              if (payload) {
                stopScan();
                scanned(payload);
              } else {
                scanTimer = setTimeout(tick, SCAN_EVERY_MS);
              }
            }, function () { scanTimer = setTimeout(tick, SCAN_EVERY_MS); });
          };
          tick();
        })
        .catch(function (error) {
          stopScan();
          message.textContent = error && error.name === "NotAllowedError"
            ? "The camera is blocked for this page: allow it in the browser's settings, or pick or type instead."
            : "No camera could be opened: pick the attendee or type the name.";
        });
    }

    el("scan-start").addEventListener("click", startScan);
    el("scan-stop").addEventListener("click", function () {
      stopScan();
      el("scan-message").textContent = "";
    });

    // --- Saving ---------------------------------------------------------------------------

    function checked(name) {
      var input = form.querySelector('input[name="' + name + '"]:checked');
      return input ? input.value : "";
    }

    function readForm() {
      var rating = checked("rating");
      var body = {
        client_id: field("client_id").value || uuid4(),
        kind: checked("kind") || "conversation",
        captured_at: form.dataset.capturedAt || new Date().toISOString(),
        payload: field("payload").value,
        attendee_id: field("attendee_id").value ? parseInt(field("attendee_id").value, 10) : null,
        name: field("name").value.trim(),
        organization: field("organization").value.trim(),
        email: field("email").value.trim(),
        rating: rating ? parseInt(rating, 10) : null,
        interests: field("interests").value.trim(),
        note: field("note").value.trim(),
        follow_up: field("follow_up").checked,
      };
      if (form.dataset.attendeeName) body.attendee_name = form.dataset.attendeeName;
      if (cardPhoto) body.card = true;
      return body;
    }

    function refusal(body) {
      if (!body.payload && !body.attendee_id && !body.name && !body.card) return "Scan a badge, photograph a business card, pick an attendee or type a name.";
      if (body.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.email)) return "That e-mail address looks wrong.";
      return "";
    }

    function resetForm() {
      form.reset();
      clearWho();
      clearCard();
      field("client_id").value = uuid4();
      delete form.dataset.capturedAt;
      problem("");
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = readForm();
      var wrong = refusal(body);
      if (wrong) {
        problem(wrong);
        return;
      }
      var item = { client_id: body.client_id, exhibit: exhibit, state: "waiting", error: "", queued_at: new Date().toISOString(), body: body };
      if (cardPhoto) {
        // The capture waits for its card to be read and confirmed before it is sent.
        item.state = "card";
        item.card = { photo: cardPhoto.data, type: cardPhoto.type, scan: null };
      }
      putAll([item]).then(function () {
        notice("Saved: " + (body.kind === "visit" ? "visit" : "conversation") + " with " + describe(body) + "." +
          (item.card ? " The card is read once it reaches the server; confirm who it is below." : ""));
        resetForm();
        return render();
      }).then(sync).catch(function () {
        problem("This phone could not keep the capture: is its storage full?");
      });
    });

    // Puts a capture back in the form to be corrected, at once: the form is filled in the same
    // tap, so nothing typed after it is overwritten. The capture stays on this phone, marked as
    // being corrected, until the form saves it again under its own client id: a page closed
    // before that loses nothing, and "Edit" brings it back. ``typing`` (a card that could not
    // be read) puts the cursor in the name.
    function edit(item, typing) {
      delete proposals[item.client_id];
      resetForm();
      var body = item.body;
      delete body.card; // a card that could not be read stays on the server with its photo
      field("client_id").value = body.client_id;
      form.dataset.capturedAt = body.captured_at;
      ["name", "organization", "email", "interests", "note"].forEach(function (name) { field(name).value = body[name] || ""; });
      field("follow_up").checked = !!body.follow_up;
      form.querySelectorAll('input[name="kind"]').forEach(function (i) { i.checked = i.value === body.kind; });
      form.querySelectorAll('input[name="rating"]').forEach(function (i) { i.checked = i.value === String(body.rating || ""); });
      if (body.payload) scanned(body.payload);
      if (body.attendee_id) pick({ id: body.attendee_id, name: body.attendee_name || "Attendee", organization: "" });
      problem(item.error);
      form.scrollIntoView();
      if (typing) field("name").focus();
      return putAll([Object.assign({}, item, { state: "editing", typing: !!typing })]).then(render);
    }

    function discard(item) {
      if (!window.confirm("Discard the capture of " + describe(item.body) + "? It was never stored.")) return;
      delete proposals[item.client_id];
      if (field("client_id").value === item.client_id) resetForm(); // it was being corrected
      removeAll([item.client_id]).then(render);
    }

    el("sync-now").addEventListener("click", function () { sync(); });
    window.addEventListener("online", function () { sync(); });
    window.addEventListener("offline", function () { render(); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") sync();
    });
    setInterval(function () { sync(); }, RETRY_MS);

    // For the browser tests and for anyone curious in the console.
    window.eyecontactCapture = {
      sync: sync,
      queued: queued,
      requeue: function (items) {
        return putAll(items.map(function (item) {
          return Object.assign({}, item, { state: "waiting", error: "" });
        })).then(render);
      },
    };

    // Always a new id: a page kept for offline use carries the id it was first served with.
    field("client_id").value = uuid4();
    if ("serviceWorker" in navigator && root.dataset.swUrl) {
      navigator.serviceWorker.register(root.dataset.swUrl, { scope: root.dataset.pageUrl }).catch(function () {});
    }
    loadAttendees();
    sync();
  });
})();
