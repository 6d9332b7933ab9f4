// Refuses a cover over 2 MB before it is sent, so the shop owner keeps what they typed. The server checks it again.
document.querySelectorAll('input[type=file][data-max-bytes]').forEach(function (input) {
  function check() {
    var file = input.files && input.files[0];
    input.setCustomValidity(file && file.size > Number(input.dataset.maxBytes)
        ? 'The cover image is too large: it can be at most 2 MB.' : '');
    return input.checkValidity();
  }
  input.addEventListener('change', function () {
    if (!check()) {
      input.reportValidity();
    }
  });
  input.form.addEventListener('submit', function (event) {
    if (!check()) {
      event.preventDefault();
      input.reportValidity();
    }
  });
});
