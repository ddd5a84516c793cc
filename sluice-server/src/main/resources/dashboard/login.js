// Sluice dashboard login: posts the form as JSON to api/login; the answer sets the session cookie.
(function () {
  'use strict';
  function $(selector) { return document.querySelector(selector); }

  document.addEventListener('DOMContentLoaded', function () {
    $('#login').addEventListener('submit', function (ev) {
      ev.preventDefault();
      var button = $('#submit');
      button.disabled = true;
      $('#error').textContent = '';
      // application/json: Sluice refuses state-changing requests of any other type (CSRF defence)
      fetch('api/login', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Requested-With': 'fetch' },
        body: JSON.stringify({ user: $('#user').value, password: $('#password').value })
      })
        .then(function (r) {
          if (r.ok) {
            window.location.replace('./');
            return null;
          }
          return r.json().then(function (body) { throw new Error(body.message || 'HTTP ' + r.status); });
        })
        .catch(function (e) {
          $('#password').value = '';
          $('#error').textContent = e.message;
          button.disabled = false;
          $('#password').focus();
        });
    });
    $('#user').focus();
  });
})();
