/*
 * Fast entry of comments during a meeting (staff/consultation/comment_entry.html).
 *
 * The page works without this script (POST, redirect, GET). With it:
 * - Ctrl+Enter (or Cmd+Enter) in any field saves the comment;
 * - the form is sent in the background; the new receipt code, the row in the
 *   list and the count update in place, without a page load;
 * - the fields are cleared, except the article and the kind when "same as last"
 *   is ticked, and the cursor goes back to the text.
 * Errors from the server are shown beside the form and the entry is kept.
 * Messages come from the page (data-failed-message), which is translated.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-entry-form]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var text = form.querySelector("textarea[name='text']");
  var errorsBox = form.querySelector("[data-entry-errors]");
  var receipt = document.getElementById("entry-receipt");
  var rows = document.querySelector("[data-entry-rows]");
  var count = document.querySelector("[data-entry-count]");
  var button = form.querySelector("button[type='submit']");
  var sending = false;

  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.dispatchEvent(new Event("submit", { cancelable: true }));
      }
    }
  });

  function clearErrors() {
    errorsBox.hidden = true;
    errorsBox.textContent = "";
    form.querySelectorAll("[aria-invalid='true']").forEach(function (field) {
      field.removeAttribute("aria-invalid");
    });
    form.querySelectorAll(".errorlist").forEach(function (list) {
      list.remove();
    });
  }

  function showErrors(errors) {
    var list = document.createElement("ul");
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var field = form.elements[name];
      var label = field && field.labels && field.labels[0] ? field.labels[0].textContent.replace(/[:：]\s*$/, "") + "：" : "";
      if (field && field.setAttribute) {
        field.setAttribute("aria-invalid", "true");
        first = first || field;
      }
      errors[name].forEach(function (error) {
        var item = document.createElement("li");
        item.textContent = label + error.message;
        list.appendChild(item);
      });
    });
    errorsBox.textContent = "";
    errorsBox.appendChild(list);
    errorsBox.hidden = false;
    (first || text).focus();
  }

  function resetFields(sticky) {
    var keep = sticky && sticky.same_as_last;
    ["text", "contributor_name", "contributor_contact", "contributor_affiliation"].forEach(function (name) {
      if (form.elements[name]) {
        form.elements[name].value = "";
      }
    });
    if (form.elements.article) {
      form.elements.article.value = keep ? sticky.article : "";
    }
    if (form.elements.contributor_kind) {
      form.elements.contributor_kind.value = keep ? sticky.contributor_kind : "resident";
    }
    if (form.elements.same_as_last) {
      form.elements.same_as_last.checked = !!keep;
    }
    text.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) {
      return;
    }
    sending = true;
    button.disabled = true;
    clearErrors();
    fetch(form.action || window.location.href, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      })
      .then(function (result) {
        if (result.ok && result.data.ok) {
          receipt.innerHTML = result.data.receipt_html;
          rows.insertAdjacentHTML("afterbegin", result.data.row_html);
          count.textContent = String(result.data.count);
          // A new key for the next comment; a resend of this one keeps the old.
          form.querySelector("[name='_idempotency_key']").value = result.data.idempotency_key;
          resetFields(result.data.sticky);
        } else {
          showErrors(result.data.errors || { __all__: [{ message: form.dataset.failedMessage }] });
        }
      })
      .catch(function () {
        // No answer, or not one we understand: say so and keep the entry. The
        // comment may or may not have been saved; the list below tells.
        showErrors({ __all__: [{ message: form.dataset.failedMessage }] });
      })
      .finally(function () {
        sending = false;
        button.disabled = false;
      });
  });
})();
