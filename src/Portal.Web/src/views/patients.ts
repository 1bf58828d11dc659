import { clear, flash, formatDate, h, text } from "../dom";
import { tenantSubtitle, type View } from "../context";
import { type ErrorPush, type Patient, patientName } from "../model";
import { addPatientForm } from "./add-patient";

type SortKey = "name" | "mrn" | "dateOfBirth" | "email" | "phone";
const COLUMNS: { key: SortKey; label: string }[] = [
  { key: "name", label: "Name" },
  { key: "mrn", label: "MRN" },
  { key: "dateOfBirth", label: "Date of birth" },
  { key: "email", label: "Email" },
  { key: "phone", label: "Phone" },
];

/** How long a patient the live feed announced as new keeps its "New" badge (docs/DECISIONS.md). */
const NEW_FOR_MS = 60_000;

function sortValue(p: Patient, key: SortKey): string {
  return key === "name" ? `${p.lastName ?? ""} ${p.firstName ?? ""}`.toLowerCase() : String(p[key] ?? "").toLowerCase();
}

export const patientsView: View = (app, main) => {
  const patients = new Map<string, Patient>();
  // Patients announced as new (`patients:new`) while this page is open, with the timer that ends their badge.
  const fresh = new Map<string, number>();
  let sortKey: SortKey = "name";
  let ascending = true;
  let loaded = false;

  const search = h("input", { id: "patient-search", type: "search", placeholder: "Name, MRN, email or phone", autocomplete: "off" });
  const count = h("p", { class: "muted small", id: "patient-count", role: "status" }, "Loading patients…");
  const problem = h("p", { class: "notice notice-warn", role: "alert", hidden: true });
  const headRow = h("tr");
  const body = h("tbody", { id: "patient-rows" });
  const table = h("table", { class: "table", "aria-labelledby": "patients-title", "aria-describedby": "patient-count" }, h("thead", {}, headRow), body);
  const add = addPatientForm(app);

  main.append(h("section", { class: "page" },
    h("div", { class: "page-head" },
      h("h1", { id: "patients-title", tabindex: "-1" }, "Patients"),
      tenantSubtitle(app),
      add.toggle),
    problem,
    add.panel,
    h("div", { class: "toolbar", role: "search" }, h("label", { for: "patient-search" }, "Search patients"), search),
    count,
    h("div", { class: "table-wrap" }, table)));

  const renderHead = (): void => {
    clear(headRow);
    for (const c of COLUMNS) {
      const sorted = c.key === sortKey;
      const button = h("button", { type: "button", class: "sort", "data-sort": c.key },
        c.label, h("span", { "aria-hidden": "true", class: "sort-mark" }, sorted ? (ascending ? " ▲" : " ▼") : ""));
      button.addEventListener("click", () => {
        ascending = sortKey === c.key ? !ascending : true;
        sortKey = c.key;
        renderHead();
        renderRows();
        headRow.querySelector<HTMLButtonElement>(`[data-sort="${c.key}"]`)?.focus();
      });
      headRow.append(h("th", { scope: "col", "aria-sort": sorted ? (ascending ? "ascending" : "descending") : "none" }, button));
    }
  };

  const renderRows = (): void => {
    const q = search.value.trim().toLowerCase();
    const shown = [...patients.values()]
      .filter((p) => !q || [patientName(p), p.mrn, p.email, p.phone, p.id].some((v) => (v ?? "").toLowerCase().includes(q)))
      .sort((a, b) => {
        const c = sortValue(a, sortKey).localeCompare(sortValue(b, sortKey));
        return ascending ? c : -c;
      });
    clear(body);
    for (const p of shown) {
      const row = h("tr", { "data-patient-id": p.id, class: fresh.has(p.id) ? "row-new" : null },
        h("th", { scope: "row" }, h("a", { href: `#/patients/${encodeURIComponent(p.id)}` }, patientName(p)),
          fresh.has(p.id) ? h("span", { class: "badge badge-new" }, "New") : null),
        h("td", {}, text(p.mrn)),
        h("td", {}, formatDate(p.dateOfBirth)),
        h("td", {}, text(p.email)),
        h("td", {}, text(p.phone)));
      body.append(row);
    }
    if (shown.length === 0 && loaded) {
      body.append(h("tr", {}, h("td", { colspan: COLUMNS.length, class: "muted" }, q ? "No patient matches your search." : "No patients yet.")));
    }
    count.textContent = loaded ? `${shown.length} of ${patients.size} patients` : "Loading patients…";
  };

  const upsert = (p: Patient, isNew: boolean): void => {
    if (!p?.id) return;
    patients.set(p.id, p);
    if (isNew) {
      window.clearTimeout(fresh.get(p.id));
      fresh.set(p.id, window.setTimeout(() => { fresh.delete(p.id); renderRows(); }, NEW_FOR_MS));
    }
    renderRows();
    const row = body.querySelector(`tr[data-patient-id="${CSS.escape(p.id)}"]`);
    if (row) flash(row);
    app.announce(`${isNew ? "New patient" : "Patient updated"}: ${patientName(p)}`);
  };

  const off = [
    app.portal.on("patients:list", (list) => {
      patients.clear();
      for (const p of Array.isArray(list) ? (list as Patient[]) : []) if (p?.id) patients.set(p.id, p);
      loaded = true;
      problem.hidden = true;
      renderRows();
    }),
    app.portal.on("patients:new", (p) => { upsert(p as Patient, true); }),
    app.portal.on("patients:updated", (p) => { upsert(p as Patient, false); }),
    app.portal.on("error", (e) => {
      const err = e as ErrorPush;
      if (err.method === "patients:subscribe") {
        problem.textContent = err.code === "service_unavailable"
          ? "The patient service is unavailable right now; the list appears as soon as it is back."
          : "The patient list is not available right now.";
        problem.hidden = false;
      }
    }),
  ];
  search.addEventListener("input", renderRows);
  renderHead();
  renderRows();
  app.portal.send("patients:subscribe");

  return () => {
    for (const timer of fresh.values()) window.clearTimeout(timer);
    add.dispose();
    for (const f of off) f();
    if (app.portal.isConnected) app.portal.call("patients:unsubscribe").catch(() => undefined);
  };
};
