"use client";

import { useTranslations } from "next-intl";
import { useState, type ComponentPropsWithRef } from "react";

/** A password input with a show/hide toggle; paste stays allowed (password managers and long passphrases). */
export function PasswordInput({ className = "", ...props }: ComponentPropsWithRef<"input">) {
  const t = useTranslations("forms");
  const [visible, setVisible] = useState(false);
  return (
    <div className="relative">
      <input {...props} type={visible ? "text" : "password"} className={`${className} pr-16`} />
      <button
        type="button"
        onClick={() => setVisible((value) => !value)}
        aria-pressed={visible}
        aria-controls={props.id}
        className="absolute inset-y-0 right-0 px-3 text-xs font-medium text-slate-600 hover:text-slate-900"
      >
        {visible ? t("hidePassword") : t("showPassword")}
        <span className="sr-only">{t("passwordSuffix")}</span>
      </button>
    </div>
  );
}
