import type { ComponentPropsWithRef, ReactNode } from "react";

export const inputClass =
  "block w-full rounded-md border-0 px-3 py-2 text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-indigo-600 aria-[invalid=true]:ring-red-500 sm:text-sm";

export type FieldProps = ComponentPropsWithRef<"input"> & {
  name: string;
  label: string;
  errors?: string[];
  hint?: ReactNode;
  /** Replaces the plain input, e.g. with a password input that can be revealed. */
  render?: (props: ComponentPropsWithRef<"input">) => ReactNode;
};

/** A labelled input whose errors are announced and tied to it (aria-invalid, aria-describedby). */
export function Field({ name, label, errors, hint, id = name, render, ...inputProps }: FieldProps) {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const invalid = Boolean(errors?.length);
  const describedBy = [hint ? hintId : null, invalid ? errorId : null].filter(Boolean).join(" ") || undefined;
  const props = {
    id,
    name,
    "aria-invalid": invalid || undefined,
    "aria-describedby": describedBy,
    className: inputClass,
    ...inputProps,
  };
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      <div className="mt-1.5">{render ? render(props) : <input {...props} />}</div>
      {hint ? (
        <p id={hintId} className="mt-1.5 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {invalid ? (
        <ul id={errorId} className="mt-1.5 space-y-0.5 text-sm text-red-600">
          {errors!.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
