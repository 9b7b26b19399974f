import { Icon } from '../../components/Icon';
import { useNoticesStore, type Notice } from '../../stores/notices';

function NoticeCard({ notice }: { notice: Notice }) {
  const dismiss = useNoticesStore((s) => s.dismiss);
  const live = notice.kind === 'info' ? { role: 'status' } : { role: 'alert' };
  return (
    <div
      className={`notice notice-${notice.kind}`}
      {...live}
      data-testid="notice"
      data-code={notice.code ?? ''}
    >
      <div className="notice-body">
        <p className="notice-message">{notice.message}</p>
        {notice.code && <code className="notice-code">{notice.code}</code>}
      </div>
      {notice.actions.length > 0 && (
        <div className="notice-actions">
          {notice.actions.map((action) => (
            <button
              key={action.label}
              type="button"
              className={action.primary ? 'button button-primary small' : 'button button-secondary small'}
              onClick={() => {
                dismiss(notice.id);
                void action.run();
              }}
            >
              {action.label}
            </button>
          ))}
        </div>
      )}
      <button
        type="button"
        className="notice-dismiss"
        aria-label="Dismiss notification"
        title="Dismiss"
        onClick={() => dismiss(notice.id)}
      >
        <Icon name="close" />
      </button>
    </div>
  );
}

/** The toast area: coded errors and information, newest at the bottom, above the status bar. */
export function Notices() {
  const items = useNoticesStore((s) => s.items);
  return (
    <section className="notices" aria-label="Notifications">
      {items.map((notice) => (
        <NoticeCard key={notice.id} notice={notice} />
      ))}
    </section>
  );
}
