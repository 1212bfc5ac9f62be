"use strict";
window.addEventListener("DOMContentLoaded", async () => {
  const view = document.getElementById("article-view");
  try {
    const doc = await api("/api/articles/" + encodeURIComponent(view.dataset.articleId));
    renderDocument(view, doc);
  } catch (err) {
    view.appendChild(h("p", { class: "error" }, `error[${err.code}]: ${err.message}`));
  }
});
