/**
 * A customer's phone number on screen. For outsourced staff the server masks numbers of
 * customers they hold no open task for (09******78): such a number is shown as masked, with a
 * lock and why, and is not a tel: link (it could not be dialled).
 */
import { useI18n } from './i18n';

const words = {
  vi: { masked: 'Số đã ẩn: cộng tác viên chỉ xem được số của khách khi đang giữ việc đang mở của khách đó.' },
  en: { masked: "Number hidden: outsourced staff see a customer's number only while holding an open task for that customer." },
} as const;

/** Whether the server masked this number. */
export const isMaskedPhone = (phone: string) => phone.includes('*');

export function Phone({ value, link = true }: { value: string | null | undefined; link?: boolean }) {
  const { lang } = useI18n();
  if (!value) return <>—</>;
  if (isMaskedPhone(value)) {
    return (
      <span className="masked-phone" title={words[lang].masked} data-masked-phone>
        <span aria-hidden="true">🔒 </span>
        {value}
        <span className="sr-only"> ({words[lang].masked})</span>
      </span>
    );
  }
  return link ? <a href={`tel:${value}`}>{value}</a> : <>{value}</>;
}
