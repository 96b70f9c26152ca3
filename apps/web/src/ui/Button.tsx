import type { ButtonHTMLAttributes } from "react";
import { Link, type LinkProps } from "react-router";

/** `primary` for the one main action of a view; `small` inside tables, notices and toasts. */
interface ButtonLook {
  primary?: boolean;
  small?: boolean;
}

function buttonClass({ primary, small }: ButtonLook, extra: string | undefined): string {
  return ["button", primary && "button-primary", small && "button-small", extra].filter(Boolean).join(" ");
}

/** A button; `type` defaults to "button", so only an explicit `type="submit"` submits a form. */
export function Button({ primary, small, className, type = "button", ...props }: ButtonHTMLAttributes<HTMLButtonElement> & ButtonLook) {
  return <button {...props} type={type} className={buttonClass({ primary, small }, className)} />;
}

/** A link that looks like a button (navigation, not an action). */
export function ButtonLink({ primary, small, className, ...props }: LinkProps & ButtonLook) {
  return <Link {...props} className={buttonClass({ primary, small }, className)} />;
}
