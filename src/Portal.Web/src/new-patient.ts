// What the "Add patient" form sends as `patients:add` {patient} (PROTOCOL.md §1), and the checks the page
// makes before sending it. The service decides in the end; these catch what a person can fix at once.

/** The fields a clinic user fills in; the optional ones are left out of the call when empty. */
export interface NewPatientInput {
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  gender: string;
  email: string;
  phone: string;
}

export type NewPatientField = keyof NewPatientInput;

/**
 * What was typed into the form for one tenant and not added yet, whether the form was open, and the patient
 * last sent when the portal never confirmed it (the connection dropped or the call timed out), so the form
 * still says the outcome is unknown after the page is rendered again.
 */
export interface PatientDraft {
  readonly tenantId: string;
  readonly input: NewPatientInput;
  readonly open: boolean;
  readonly unconfirmed?: UnconfirmedAdd | null;
}

/** A `patients:add` that may or may not have been done: its patient and why no answer came. */
export interface UnconfirmedAdd { readonly patient: NewPatient; readonly code: "disconnected" | "timeout" }

/** The patient object of the call: trimmed, optional fields only when given. */
export type NewPatient = { firstName: string; lastName: string; dateOfBirth: string } & Partial<Record<"gender" | "email" | "phone", string>>;

/** The longest text the HTPI services keep in one field. */
export const MAX_FIELD_LENGTH = 200;

/** Dates of birth before this are typing mistakes, not patients. */
export const EARLIEST_BIRTH_DATE = "1900-01-01";

/** Today in the browser's own calendar, as YYYY-MM-DD (a date of birth has no time zone). */
export function today(now: Date = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()./-]+$/;

/**
 * Checks the form's values; returns one message per field that is wrong (empty when all are fine).
 * `dateIncomplete` is the date input's own "bad input" state: a date typed only in part has no value.
 */
export function validateNewPatient(input: NewPatientInput, dateIncomplete = false, now: Date = new Date()): Partial<Record<NewPatientField, string>> {
  const problems: Partial<Record<NewPatientField, string>> = {};
  const first = input.firstName.trim();
  const last = input.lastName.trim();
  const dob = input.dateOfBirth.trim();
  const email = input.email.trim();
  const phone = input.phone.trim();

  if (!first) problems.firstName = "Enter the patient's first name.";
  if (!last) problems.lastName = "Enter the patient's last name.";
  for (const key of ["firstName", "lastName", "email", "phone"] as const) {
    if (!problems[key] && input[key].trim().length > MAX_FIELD_LENGTH) problems[key] = `Use at most ${MAX_FIELD_LENGTH} characters.`;
  }

  if (dateIncomplete) problems.dateOfBirth = "Enter the full date of birth: month, day and year.";
  else if (!dob) problems.dateOfBirth = "Enter the patient's date of birth.";
  else if (!isCalendarDate(dob)) problems.dateOfBirth = "Enter the date of birth as a real date (YYYY-MM-DD).";
  else if (dob > today(now)) problems.dateOfBirth = "The date of birth cannot be in the future.";
  else if (dob < EARLIEST_BIRTH_DATE) problems.dateOfBirth = "The date of birth must be in 1900 or later.";

  if (email && !problems.email && !EMAIL.test(email)) problems.email = "Enter an email address like name@example.com, or leave it empty.";
  if (phone && !problems.phone && (!PHONE.test(phone) || phone.replace(/\D/g, "").length < 7)) {
    problems.phone = "Enter a phone number of at least 7 digits, or leave it empty.";
  }
  return problems;
}

/** The `patient` argument of `patients:add` for values that passed {@link validateNewPatient}. */
export function toNewPatient(input: NewPatientInput): NewPatient {
  const patient: NewPatient = {
    firstName: input.firstName.trim(),
    lastName: input.lastName.trim(),
    dateOfBirth: input.dateOfBirth.trim(),
  };
  for (const key of ["gender", "email", "phone"] as const) {
    const value = input[key].trim();
    if (value) patient[key] = value;
  }
  return patient;
}

/** Whether a patient of the list is the one a call sent (same names and date of birth, as the service keeps them). */
export function isSamePatient(sent: NewPatient, p: { firstName?: string; lastName?: string; dateOfBirth?: string }): boolean {
  return p.firstName === sent.firstName && p.lastName === sent.lastName && p.dateOfBirth === sent.dateOfBirth;
}
