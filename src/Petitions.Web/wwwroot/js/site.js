// Progressive enhancement only: every page works without this file.
(function () {
    'use strict';
    document.documentElement.classList.add('js');

    // Copy link: the button stays hidden unless the clipboard API is there to make it work.
    document.querySelectorAll('.copy-link').forEach(function (button) {
        var input = document.getElementById(button.dataset.copyTarget);
        if (!input || !navigator.clipboard) { return; }
        var status = button.closest('.share') && button.closest('.share').querySelector('.copy-status');
        button.hidden = false;
        button.addEventListener('click', function () {
            navigator.clipboard.writeText(input.value).then(function () {
                button.textContent = button.dataset.copied || 'Link copied';
                if (status) { status.textContent = button.dataset.copiedStatus || 'The link to this petition is copied.'; }
            }, function () {
                input.select();
            });
        });
    });

    // GOV.UK error summary: focus it on load, and make its links land on the field with its label and message in view.
    var summary = document.getElementById('error-summary');
    if (summary) {
        summary.focus();
        summary.addEventListener('click', function (event) {
            var link = event.target.closest('a[href^="#"]');
            if (!link) { return; }
            var field = document.getElementById(link.getAttribute('href').slice(1));
            if (!field) { return; }
            event.preventDefault();
            var group = field.closest('.field-error, .mb-3, .field') || field;
            group.scrollIntoView({ block: 'start' });
            field.focus({ preventScroll: true });
        });
    }

    // The sign panel is sticky on wide screens only while its top down to the sign button fits on screen; otherwise the
    // button would be out of reach. What follows the button (the privacy note, sharing) shows at the end of the page.
    var panel = document.querySelector('.sign-panel');
    if (panel) {
        var fit = function () {
            panel.classList.remove('is-too-tall');
            var button = panel.querySelector('button[type=submit]');
            var needed = button ? button.getBoundingClientRect().bottom - panel.getBoundingClientRect().top + 16 : panel.offsetHeight;
            if (needed > window.innerHeight - 32) { panel.classList.add('is-too-tall'); }
        };
        fit();
        window.addEventListener('resize', fit);
        panel.querySelectorAll('details').forEach(function (details) { details.addEventListener('toggle', fit); });
    }

    // Printing a petition prints all of it, including the text folded behind "Read more".
    var reopened = [];
    window.addEventListener('beforeprint', function () {
        document.querySelectorAll('details:not([open])').forEach(function (details) {
            details.open = true;
            reopened.push(details);
        });
    });
    window.addEventListener('afterprint', function () {
        reopened.forEach(function (details) { details.open = false; });
        reopened = [];
    });
})();
