// Business cards on the booth page and on a person's page: send the photo, wait while the server
// reads it (on its background queue), then show the person it proposes, to correct and confirm.
//
// The API does the work: POST .../business-cards keeps the photo (once per client_id, so a
// photo sent again from the booth's offline queue is not kept twice), GET .../business-cards/<id>
// says "waiting", "read" (with the fields and someone already known it may be) or "unreadable"
// (the photo is kept), and POST .../confirm adds the details to someone known or makes a new
// person. Nothing here creates anyone before the user confirms.
(function () {
  "use strict";

  var POLL_MS = 1000;
  var COULD_NOT_READ = "Could not read this card.";

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function problemOf(response) {
    return response.json().then(function (answer) {
      var detail = answer && answer.detail;
      if (typeof detail === "string") return detail;
      if (Array.isArray(detail)) {
        return detail.map(function (error) {
          var where = (error.loc || []).filter(function (p) { return p !== "body" && p !== "payload" && typeof p !== "number"; });
          return (where.length ? where.join(" ") + ": " : "") + (error.msg || "refused");
        }).join(" ");
      }
      if (detail && typeof detail === "object") {
        return Object.keys(detail).map(function (key) { return key + ": " + [].concat(detail[key]).join(" "); }).join(" ");
      }
      return "The server answered " + response.status + ".";
    }, function () { return "The server answered " + response.status + "."; });
  }

  function failed(response) {
    return problemOf(response).then(function (text) {
      var error = new Error(text);
      error.status = response.status;
      throw error;
    });
  }

  // Sends a photo (a Blob or an ArrayBuffer with its type); resolves to the scan.
  function upload(cardsUrl, photo, type, clientId) {
    var data = new FormData();
    var blob = photo instanceof Blob ? photo : new Blob([photo], { type: type || "image/jpeg" });
    data.append("photo", blob, "card." + ((blob.type || "image/jpeg").split("/")[1] || "jpg"));
    if (clientId) data.append("client_id", clientId);
    return fetch(cardsUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
      body: data,
    }).then(function (response) {
      return response.status === 202 ? response.json() : failed(response);
    });
  }

  function scanOf(cardsUrl, id) {
    return fetch(cardsUrl + "/" + id, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.json() : failed(response);
    });
  }

  // Resolves once the server has read the card (or could not); asks again every second.
  function whenRead(cardsUrl, scan) {
    if (scan.status !== "waiting") return Promise.resolve(scan);
    return new Promise(function (resolve) { setTimeout(resolve, POLL_MS); }).then(function () {
      return scanOf(cardsUrl, scan.id);
    }).then(function (next) { return whenRead(cardsUrl, next); });
  }

  function confirm(cardsUrl, id, payload) {
    return fetch(cardsUrl + "/" + id + "/confirm", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(payload),
    }).then(function (response) {
      return response.ok ? response.json() : failed(response);
    });
  }

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function input(form, key, label, value, type) {
    var id = form.id + "-" + key;
    var field = make("div", "field");
    var caption = make("label", "", label);
    caption.htmlFor = id;
    var box = document.createElement("input");
    box.id = id;
    box.name = key;
    box.type = type || "text";
    box.value = value || "";
    box.autocomplete = "off";
    field.appendChild(caption);
    field.appendChild(box);
    form.appendChild(field);
    return box;
  }

  function list(text, phones) {
    return text.split(phones ? /[;,\n]+/ : /[\s;,]+/).map(function (v) { return v.trim(); }).filter(Boolean);
  }

  // The person a read card proposes, as a form to correct and confirm.
  // options.people: [{id, label}] to add the details to (a known match, the page's person);
  // options.onConfirm(answer, payload) after the server confirmed.
  function proposal(cardsUrl, scan, options) {
    var fields = scan.fields || {};
    var form = make("form", "card-proposal");
    form.id = "card-" + scan.id;
    form.noValidate = true;
    form.appendChild(make("h3", "card-proposal-head", options.heading || "From the card: check and confirm"));
    var name = input(form, "name", "Name", fields.name);
    var title = input(form, "title", "Title", fields.title);
    var organization = input(form, "organization", "Organization", fields.organization);
    var emails = input(form, "emails", "E-mails", (fields.emails || []).join(", "), "text");
    emails.inputMode = "email";
    var phones = input(form, "phones", "Phones", (fields.phones || []).join(", "), "text");
    phones.inputMode = "tel";
    var websites = input(form, "websites", "Website", (fields.websites || []).join(", "), "text");
    websites.inputMode = "url";

    var choices = make("fieldset", "card-choice");
    choices.appendChild(make("legend", "", "Who is it?"));
    var people = (options.people || []).slice();
    if (scan.match_id && !people.some(function (p) { return p.id === scan.match_id; })) {
      people.push({
        id: scan.match_id,
        label: scan.match_name + (scan.match_organization ? " (" + scan.match_organization + ")" : "") + ", already known",
      });
    }
    people.push({ id: null, label: "A new person" });
    people.forEach(function (person, index) {
      var label = make("label", "card-choice-option");
      var radio = document.createElement("input");
      radio.type = "radio";
      radio.name = "person";
      radio.value = person.id === null ? "" : String(person.id);
      radio.checked = index === 0;
      label.appendChild(radio);
      label.appendChild(document.createTextNode(" " + person.label));
      choices.appendChild(label);
    });
    form.appendChild(choices);
    var error = make("p", "form-errors");
    error.setAttribute("role", "alert");
    error.hidden = true;
    form.appendChild(error);
    var submit = make("button", "btn btn-primary btn-big", options.confirmLabel || "Confirm");
    submit.type = "submit";
    form.appendChild(submit);

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var picked = form.querySelector('input[name="person"]:checked');
      var payload = {
        name: name.value.trim(),
        title: title.value.trim(),
        organization: organization.value.trim(),
        emails: list(emails.value),
        phones: list(phones.value, true),
        websites: list(websites.value),
        person_id: picked && picked.value ? parseInt(picked.value, 10) : null,
      };
      if (!payload.name && payload.person_id === null) {
        error.textContent = "A name is required.";
        error.hidden = false;
        name.focus();
        return;
      }
      submit.disabled = true;
      error.hidden = true;
      confirm(cardsUrl, scan.id, payload).then(function (answer) {
        options.onConfirm(answer, payload);
      }, function (problem) {
        submit.disabled = false;
        error.textContent = problem.status ? problem.message : "No connection: confirm again once the phone is online.";
        error.hidden = false;
      });
    });
    return form;
  }

  // A card the server could not read: says so and shows the photo it kept.
  function unreadable(scan) {
    var box = make("div", "card-unreadable");
    box.appendChild(make("p", "queue-error", scan.message || COULD_NOT_READ));
    var photo = document.createElement("img");
    photo.className = "card-photo-kept";
    photo.alt = "The card's photo, kept";
    photo.src = scan.photo_url;
    box.appendChild(photo);
    return box;
  }

  window.EyeContactCards = {
    upload: upload,
    scan: scanOf,
    whenRead: whenRead,
    confirm: confirm,
    proposal: proposal,
    unreadable: unreadable,
  };

  // A person's page: "Add from a business card".
  function personPage() {
    var root = document.getElementById("person-card");
    if (!root) return;
    var cardsUrl = root.dataset.cardsUrl;
    var photoInput = document.getElementById("person-card-photo");
    var state = document.getElementById("person-card-state");
    var result = document.getElementById("person-card-result");
    photoInput.addEventListener("change", function () {
      var file = photoInput.files && photoInput.files[0];
      if (!file) return;
      result.textContent = "";
      state.textContent = "Reading the card…";
      upload(cardsUrl, file).then(function (scan) {
        return whenRead(cardsUrl, scan);
      }).then(function (scan) {
        photoInput.value = "";
        if (scan.status === "unreadable") {
          state.textContent = "";
          result.appendChild(unreadable(scan));
          return;
        }
        state.textContent = "";
        result.appendChild(proposal(cardsUrl, scan, {
          heading: "From the card: check and confirm",
          people: [{ id: parseInt(root.dataset.personId, 10), label: root.dataset.personName + " (this page)" }],
          onConfirm: function () {
            state.textContent = "Saved from the card.";
            window.location.reload();
          },
        }));
      }, function (problem) {
        photoInput.value = "";
        state.textContent = problem.status ? problem.message : "No connection: the card could not be sent. Try again once online.";
      });
    });
  }

  if (document.readyState !== "loading") personPage();
  else document.addEventListener("DOMContentLoaded", personPage);
})();
