import { tableClass, tdClass, thClass } from '../components/Section.tsx';
import { Link } from '../router.tsx';
import type { Contact } from './api.ts';
import { displayName } from './contactForm.ts';
import { useAudienceI18n } from './i18n.ts';

/** Emails and phones are Latin, left to right, inside the Arabic table: isolated so they do not reorder. */
export function ContactsTable({ contacts }: { contacts: Contact[] }) {
  const { at, date } = useAudienceI18n();
  const none = at('none');
  return (
    <div className="relative -mx-5 overflow-x-auto">
      <table className={tableClass} data-testid="contacts-table">
        <thead className="border-b border-zinc-200">
          <tr>
            <th scope="col" className={`${thClass} ps-5`}>
              {at('col.name')}
            </th>
            <th scope="col" className={thClass}>
              {at('col.email')}
            </th>
            <th scope="col" className={thClass}>
              {at('col.phone')}
            </th>
            <th scope="col" className={thClass}>
              {at('col.city')}
            </th>
            <th scope="col" className={thClass}>
              {at('col.stage')}
            </th>
            <th scope="col" className={`${thClass} pe-5`}>
              {at('col.created')}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {contacts.map((c) => (
            <tr key={c.id} data-testid="contact-row" data-id={c.id}>
              <td className={`${tdClass} ps-5 font-medium`}>
                <Link
                  to={`/contacts/${c.id}`}
                  className="text-teal-800 hover:underline"
                  data-testid="contact-link"
                >
                  <bdi>{displayName(c) ?? at('contacts.unnamed')}</bdi>
                </Link>
              </td>
              <td className={tdClass} data-testid="contact-email">
                {c.email ? <bdi dir="ltr">{c.email}</bdi> : none}
              </td>
              <td className={tdClass} data-testid="contact-phone">
                {c.phone ? <bdi dir="ltr">{c.phone}</bdi> : none}
              </td>
              <td className={tdClass}>{c.city ? <bdi>{c.city}</bdi> : none}</td>
              <td className={tdClass}>{c.lifecycleStage ? at(`stage.${c.lifecycleStage}`) : none}</td>
              <td className={`${tdClass} pe-5 text-zinc-700`}>
                <time dateTime={c.createdAt}>{date(c.createdAt, 'date')}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
