{% load static %}// Keeps the booth capture page {{ page_url|escapejs }} and its files for use without a network.
// The page is asked of the network first (a fresh copy when there is signal) and falls back to
// the kept copy; static files come from the kept copy. The API is never answered from here: the
// page keeps its own queue and attendee list.
"use strict";
const PAGE = "{{ page_url|escapejs }}";
const CACHE = "eyecontact-capture:" + PAGE + ":3";
const ASSETS = [
  "{% static 'eyecontact/app.css' %}",
  "{% static 'eyecontact/capture.css' %}",
  "{% static 'eyecontact/app.js' %}",
  "{% static 'eyecontact/capture.js' %}",
  "{% static 'eyecontact/cards.css' %}",
  "{% static 'eyecontact/cards.js' %}",
  "{% static 'eyecontact/logo.svg' %}",
  "{% static 'vendor/jsQR.js' %}",
  "{% static 'vendor/zxing-reader.js' %}",
  "{% static 'vendor/zxing_reader.wasm' %}",
  "{% static 'eyecontact/scan.js' %}",
  "{% static 'django_htmx/htmx-2.min.js' %}",
];
const PAGE_TIMEOUT_MS = 5000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll([...ASSETS, PAGE]))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names
          .filter((name) => name.startsWith("eyecontact-capture:" + PAGE + ":") && name !== CACHE)
          .map((name) => caches.delete(name))
      ))
      .then(() => self.clients.claim())
  );
});

function pageFromNetwork(request) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), PAGE_TIMEOUT_MS);
  return fetch(request, { signal: controller.signal }).finally(() => clearTimeout(timer));
}

async function page(request) {
  try {
    const response = await pageFromNetwork(request);
    if (response.ok && !response.redirected) {
      const cache = await caches.open(CACHE);
      await cache.put(PAGE, response.clone());
    }
    return response;
  } catch (error) {
    const kept = await caches.match(PAGE, { cacheName: CACHE });
    if (kept) return kept;
    throw error;
  }
}

async function asset(request) {
  const kept = await caches.match(request, { cacheName: CACHE, ignoreSearch: true });
  return kept || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === PAGE) {
    event.respondWith(page(request));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(asset(request));
  }
});
