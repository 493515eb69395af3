// A "copy" button copies the text of the element its data-copy names (the tracking code).
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const text = document.querySelector(button.dataset.copy)?.textContent?.trim() ?? "";
  navigator.clipboard?.writeText(text).then(() => {
    button.dataset.label = button.dataset.label || button.textContent;
    button.textContent = "✓";
    setTimeout(() => { button.textContent = button.dataset.label; }, 2000);
  });
});
