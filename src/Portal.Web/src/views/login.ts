import { h } from "../dom";
import type { View } from "../context";
import { PortalError } from "../portal";

function loginMessage(error: unknown): string {
  const code = error instanceof PortalError ? error.code : "";
  switch (code) {
    case "unauthenticated": return "The email or password is incorrect. Please check them and try again.";
    case "service_unavailable": return "The sign-in service is unavailable right now. Please try again in a moment.";
    case "rate_limited": return "Too many sign-in attempts. Please wait a minute before trying again.";
    case "invalid_argument": return "Please enter a valid email address and password.";
    case "disconnected":
    case "timeout": return "We cannot reach the portal right now. Check your connection and try again.";
    default: return "Sign-in failed. Please try again.";
  }
}

export const loginView: View = (app, main) => {
  const notice = app.takeSignInNotice();
  const error = h("p", { class: "form-error", id: "login-error", role: "alert", "aria-live": "assertive" });
  const email = h("input", { id: "email", name: "email", type: "email", autocomplete: "username", required: true, "aria-describedby": "login-error" });
  const password = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true, "aria-describedby": "login-error" });
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Sign in");

  const form = h("form", { class: "card login-card", "aria-labelledby": "login-title", novalidate: true },
    h("h1", { id: "login-title", tabindex: "-1" }, "Sign in"),
    h("p", { class: "muted" }, "Customer portal of HTPI"),
    notice ? h("p", { class: "notice notice-info", id: "login-notice", role: "status" }, notice) : null,
    h("div", { class: "field" }, h("label", { for: "email" }, "Email"), email),
    h("div", { class: "field" }, h("label", { for: "password" }, "Password"), password),
    error,
    submit,
    app.demo
      ? h("aside", { class: "demo-hint", "aria-label": "Demo logins" },
          h("strong", {}, "Demo mode. "), "Try ",
          h("code", {}, "demo@htpi.com"), " / ", h("code", {}, "demo123"), " (two tenants) or ",
          h("code", {}, "john@example.com"), " / ", h("code", {}, "password123"), ".")
      : null,
  );

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    error.textContent = "";
    if (!email.value.trim() || !password.value) {
      error.textContent = "Please enter your email and password.";
      (email.value.trim() ? password : email).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = "Signing in…";
    app.login(email.value.trim(), password.value).catch((e: unknown) => {
      error.textContent = loginMessage(e);
      submit.disabled = false;
      submit.textContent = "Sign in";
      password.select();
      password.focus();
    });
  });

  main.append(h("div", { class: "login-wrap" }, form));
  email.focus();
};
