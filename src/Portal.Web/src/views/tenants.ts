import { h, text } from "../dom";
import { messageFor, type View } from "../context";

export const tenantsView: View = (app, main) => {
  const status = h("p", { class: "muted", role: "status" }, "Loading your organizations…");
  const list = h("ul", { class: "tenant-list", "aria-labelledby": "tenants-title" });
  main.append(
    h("section", { class: "page narrow" },
      h("h1", { id: "tenants-title", tabindex: "-1" }, "Choose an organization"),
      h("p", { class: "muted" }, "You have access to the organizations below. You can switch at any time from the header."),
      status, list));

  let alive = true;
  app.loadTenants().then((tenants) => {
    if (!alive) return;
    status.textContent = tenants.length === 0 ? "Your account has no organizations yet." : "";
    for (const tenant of tenants) {
      const active = (tenant.status ?? "active").toLowerCase() === "active";
      const button = h("button", { type: "button", class: "tenant-button", "data-tenant-id": tenant.id },
        h("span", { class: "tenant-name" }, tenant.name),
        h("span", { class: `badge badge-${active ? "ok" : "warn"}` }, text(tenant.status)),
        tenant.id === app.tenantId ? h("span", { class: "muted small" }, "current") : null);
      button.addEventListener("click", () => {
        button.disabled = true;
        status.textContent = `Opening ${tenant.name}…`;
        app.selectTenant(tenant.id).then(() => { app.navigate(app.landing()); }, (e: unknown) => {
          button.disabled = false;
          status.textContent = messageFor(e, `open ${tenant.name}`);
        });
      });
      list.append(h("li", {}, button));
    }
  }, (e: unknown) => {
    if (alive) status.textContent = messageFor(e, "load your organizations");
  });
  return () => { alive = false; };
};
