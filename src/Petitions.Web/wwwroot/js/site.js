// Progressive enhancement only: every page works without this file.
document.querySelectorAll('.copy-link').forEach(function (button) {
    var input = document.getElementById(button.dataset.copyTarget);
    if (!input || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener('click', function () {
        navigator.clipboard.writeText(input.value).then(function () {
            button.textContent = 'Link copied';
        });
    });
});
var summary = document.getElementById('error-summary');
if (summary) { summary.focus(); }
