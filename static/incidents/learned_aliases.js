// The actor page's learned names: "Add to aliases" puts the name into the Aliases field of the
// change form (comma separated, as the field reads it). Nothing is saved here: the analyst saves
// the form, so its permissions and review rules apply (incidents/admin/learned_aliases.py).
"use strict";
document.addEventListener("click", (event) => {
  const button = event.target.closest(".add-learned-alias");
  const field = document.getElementById("id_aliases");
  if (!button || !field) return;
  const aliases = field.value.split(/[,\u060c]/).map((alias) => alias.trim()).filter(Boolean);
  const alias = button.dataset.alias;
  if (!aliases.some((known) => known.toLowerCase() === alias.toLowerCase())) aliases.push(alias);
  field.value = aliases.join(", ");
  field.dispatchEvent(new Event("change", {bubbles: true}));
  button.disabled = true;
  button.textContent = button.dataset.added || button.textContent;
  field.focus();
});
