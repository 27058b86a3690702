"use client";

import { formatPhone } from "@/lib/client/format";
import type { NumberDto } from "@/lib/client/types";

export const numberLabel = (n: NumberDto) => n.verifiedName || formatPhone(n.displayPhoneNumber);

/** Checkboxes for the numbers an agent may see. */
export function NumberChoices({
  legend,
  numbers,
  value,
  onChange,
  disabled,
}: {
  legend: string;
  numbers: NumberDto[];
  value: string[];
  onChange: (ids: string[]) => void;
  disabled?: boolean;
}) {
  return (
    <fieldset disabled={disabled}>
      <legend className="text-sm font-medium text-zinc-800">{legend}</legend>
      {numbers.length === 0 ? (
        <p className="mt-1 text-sm text-zinc-500">No number is connected yet.</p>
      ) : (
        <div className="mt-2 flex flex-wrap gap-2">
          {numbers.map((number) => {
            const isChecked = value.includes(number.id);
            return (
              <label
                key={number.id}
                className={`inline-flex cursor-pointer items-center gap-2 rounded-lg border px-3 py-1.5 text-sm ${
                  isChecked ? "border-emerald-600 bg-emerald-50 text-emerald-900" : "border-zinc-300 bg-white text-zinc-700"
                }`}
              >
                <input
                  type="checkbox"
                  checked={isChecked}
                  onChange={(e) => onChange(e.target.checked ? [...value, number.id] : value.filter((id) => id !== number.id))}
                  className="size-4 accent-emerald-700"
                />
                {numberLabel(number)}
              </label>
            );
          })}
        </div>
      )}
    </fieldset>
  );
}
