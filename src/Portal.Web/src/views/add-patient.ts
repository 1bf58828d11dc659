// The "Add patient" form of the patients page: `patients:add` for the selected tenant. The page never
// puts the new patient into the list itself: the service's broadcast reaches every subscriber of the
// tenant as `patients:new`, this page included, and the list shows it from there (once). What is typed is
// kept as the app's draft (in memory), so the form comes back as it was when the page is rendered again.
import { clear, h } from "../dom";
import { messageFor, type AppContext } from "../context";
import { type Patient, patientName } from "../model";
import {
  EARLIEST_BIRTH_DATE, isSamePatient, MAX_FIELD_LENGTH, type NewPatientField, type NewPatientInput, today, toNewPatient,
  type UnconfirmedAdd, validateNewPatient,
} from "../new-patient";
import { PortalError } from "../portal";

interface FieldSpec { key: NewPatientField; id: string; label: string; type?: "text" | "date" | "email" | "tel"; required?: boolean; autocomplete?: string }

const FIELDS: FieldSpec[] = [
  { key: "firstName", id: "new-patient-first-name", label: "First name", required: true },
  { key: "lastName", id: "new-patient-last-name", label: "Last name", required: true },
  { key: "dateOfBirth", id: "new-patient-dob", label: "Date of birth", type: "date", required: true },
  { key: "gender", id: "new-patient-gender", label: "Gender" },
  { key: "email", id: "new-patient-email", label: "Email", type: "email" },
  { key: "phone", id: "new-patient-phone", label: "Phone", type: "tel" },
];

const GENDERS: [string, string][] = [["", "Not specified"], ["female", "Female"], ["male", "Male"], ["other", "Other"]];

const SUBMIT_TEXT = "Add patient";

/** The call left the page but no answer came: the service may have added the patient, so a resend may duplicate it. */
function unknownOutcome({ patient, code }: UnconfirmedAdd): string {
  const name = patientName({ id: "the patient", ...patient });
  return code === "timeout"
    ? `The portal did not confirm it in time, so ${name} may or may not have been added. Check the list before adding again.`
    : `The connection dropped before the portal confirmed it, so ${name} may or may not have been added. Check the list once it reloads before adding again.`;
}

export interface AddPatientForm {
  /** The page-head button that shows and hides the form. */
  readonly toggle: HTMLButtonElement;
  /** The card holding the form (hidden until the toggle opens it). */
  readonly panel: HTMLElement;
  /** Stops updating the page when the view is left while a call is in flight. */
  dispose(): void;
}

export function addPatientForm(app: AppContext): AddPatientForm {
  let alive = true;
  let busy = false;
  let unconfirmed: UnconfirmedAdd | null = null;
  const tenantId = app.tenantId;

  const controls = new Map<NewPatientField, HTMLInputElement | HTMLSelectElement>();
  const errors = new Map<NewPatientField, HTMLElement>();
  const fields = FIELDS.map((f) => {
    const errorId = `${f.id}-error`;
    const error = h("p", { class: "field-error", id: errorId });
    const control = f.key === "gender"
      ? h("select", { id: f.id, name: f.key }, ...GENDERS.map(([value, label]) => h("option", { value }, label)))
      : h("input", {
          id: f.id, name: f.key, type: f.type ?? "text", autocomplete: "off", "aria-describedby": errorId,
          required: f.required === true,
          maxlength: f.type === "date" ? null : MAX_FIELD_LENGTH,
          min: f.type === "date" ? EARLIEST_BIRTH_DATE : null,
        });
    controls.set(f.key, control);
    errors.set(f.key, error);
    control.addEventListener("input", () => { setProblem(f.key, undefined); });
    return h("div", { class: "field" },
      h("label", { for: f.id }, f.label, f.required ? null : h("span", { class: "optional" }, " (optional)")),
      control, error);
  });

  const dob = controls.get("dateOfBirth") as HTMLInputElement;
  const status = h("p", { class: "form-status", id: "add-patient-status", role: "status", "aria-live": "polite" });
  const failure = h("p", { class: "form-error", id: "add-patient-error", role: "alert", "aria-live": "assertive" });
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, SUBMIT_TEXT);
  const cancel = h("button", { type: "button", class: "btn btn-quiet" }, "Close");
  const form = h("form", { id: "add-patient-form", "aria-labelledby": "add-patient-title", "aria-describedby": "add-patient-note", novalidate: true },
    h("div", { class: "form-grid" }, ...fields),
    failure,
    h("div", { class: "form-actions" }, submit, cancel, status));

  const panel = h("section", { class: "card", id: "add-patient", "aria-labelledby": "add-patient-title", hidden: true },
    h("h2", { id: "add-patient-title" }, "Add a patient"),
    h("p", { class: "muted small form-note", id: "add-patient-note" }, "First name, last name and date of birth are required."),
    form);
  const toggle = h("button", { type: "button", class: "btn btn-primary page-action", "aria-expanded": "false", "aria-controls": "add-patient" }, "New patient");

  function setProblem(key: NewPatientField, message: string | undefined): void {
    const control = controls.get(key)!;
    errors.get(key)!.textContent = message ?? "";
    if (message) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
  }

  function read(): NewPatientInput {
    const value = (key: NewPatientField): string => controls.get(key)!.value;
    return {
      firstName: value("firstName"), lastName: value("lastName"), dateOfBirth: value("dateOfBirth"),
      gender: value("gender"), email: value("email"), phone: value("phone"),
    };
  }

  function resetMessages(): void {
    for (const f of FIELDS) setProblem(f.key, undefined);
    failure.textContent = "";
    clear(status);
  }

  // The picker offers no date after today. Only set when the day changed: Chromium drops a date typed
  // in part when the attribute is written.
  function limitToToday(): void {
    const max = today();
    if (dob.max !== max) dob.max = max;
  }

  function setOpen(show: boolean): void {
    panel.hidden = !show;
    toggle.setAttribute("aria-expanded", String(show));
    if (show) limitToToday();
  }

  function open(show: boolean): void {
    setOpen(show);
    remember();
    (show ? controls.get("firstName")! : toggle).focus();
  }

  function remember(): void {
    if (tenantId) app.patientDraft = { tenantId, input: read(), open: !panel.hidden, unconfirmed };
  }

  // The page rendered again (e.g. after a reconnect's fresh resume): the form comes back as it was left.
  const draft = app.patientDraft;
  if (draft && draft.tenantId === tenantId) {
    for (const [key, control] of controls) control.value = draft.input[key];
    setOpen(draft.open);
    unconfirmed = draft.unconfirmed ?? null;
    if (unconfirmed) failure.textContent = unknownOutcome(unconfirmed);
  }

  // An add the portal never confirmed shows up as the service's `patients:new` broadcast (live, or replayed on
  // resume) when it was done. The reloaded list is no proof: the same patient may have been there before.
  const offNew = app.portal.on("patients:new", (p) => {
    const sent = unconfirmed?.patient;
    if (!sent || !isSamePatient(sent, p as Patient)) return;
    unconfirmed = null;
    failure.textContent = "";
    status.textContent = `${patientName(p as Patient)} was added.`;
    // Cleared as after a confirmed add, unless the user has started changing what was sent.
    if (JSON.stringify(toNewPatient(read())) === JSON.stringify(sent)) form.reset();
    remember();
  });

  form.addEventListener("input", remember);
  toggle.addEventListener("click", () => { open(toggle.getAttribute("aria-expanded") !== "true"); });
  cancel.addEventListener("click", () => { open(false); });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (busy) return;
    resetMessages();
    unconfirmed = null;
    // A date typed only in part leaves the input empty with `badInput` set: say so, not "required".
    const input = read();
    const problems = validateNewPatient(input, dob.validity.badInput);
    limitToToday();
    const wrong = FIELDS.filter((f) => problems[f.key]);
    if (wrong.length > 0) {
      for (const f of wrong) setProblem(f.key, problems[f.key]);
      controls.get(wrong[0]!.key)!.focus();
      return;
    }

    busy = true;
    submit.disabled = true;
    submit.textContent = "Adding…";
    form.setAttribute("aria-busy", "true");
    const patient = toNewPatient(input);
    app.portal.call<{ success: boolean; patient?: Patient; error?: string }>("patients:add", { patient }).then((r) => {
      if (!alive) return;
      if (!r.success) {
        failure.textContent = `The patient was not added: ${r.error || "the service refused it."}`;
        return;
      }
      form.reset();
      remember();
      status.textContent = `${patientName(r.patient ?? { id: "", ...patient })} was added.`;
      controls.get("firstName")!.focus();
    }, (e: unknown) => {
      if (!alive) return;
      if (e instanceof PortalError && (e.code === "disconnected" || e.code === "timeout") && !e.unsent) {
        unconfirmed = { patient, code: e.code };
        remember();
        failure.textContent = unknownOutcome(unconfirmed);
        return;
      }
      failure.textContent = messageFor(e, "add the patient");
    }).finally(() => {
      busy = false;
      submit.disabled = false;
      submit.textContent = SUBMIT_TEXT;
      form.removeAttribute("aria-busy");
    });
  });

  return { toggle, panel, dispose: () => { alive = false; offNew(); } };
}
