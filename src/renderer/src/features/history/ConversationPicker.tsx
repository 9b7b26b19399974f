import { selectConversation } from '../../app/historyActions';
import { formatInt } from '../../lib/format';
import { useHistoryStore } from '../../stores/history';

const TOKENS_HINT =
  'Tokens of the text (o200k_base, exact), without the few tokens of framing a provider adds per message';

/** The conversations of the open file: pick one to see its timeline and to simulate. */
export function ConversationPicker() {
  const summary = useHistoryStore((s) => s.summary);
  const selected = useHistoryStore((s) => s.conversationId);
  if (!summary) return null;
  const list = summary.conversations;
  return (
    <section className="history-section" aria-labelledby="conversations-title">
      <h2 className="history-section-title" id="conversations-title">
        Conversations <span className="count-badge">{list.length}</span>
      </h2>
      {list.length === 0 ? (
        <p className="history-note">This file holds no conversation.</p>
      ) : (
        <div className="conv-table-wrap">
          <table className="history-table conv-table" data-testid="conversation-table">
            <thead>
              <tr>
                <th scope="col">Conversation</th>
                <th scope="col" className="num" title="Turns the user started (user messages)">
                  User turns
                </th>
                <th scope="col" className="num">
                  Messages
                </th>
                <th scope="col" className="num">
                  Tool calls
                </th>
                <th scope="col" className="num" title={TOKENS_HINT}>
                  Tokens
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((c) => {
                const active = c.id === selected;
                return (
                  <tr
                    key={c.id}
                    className={active ? 'selected' : undefined}
                    data-testid="conversation-row"
                    data-id={c.id}
                    aria-selected={active}
                    onClick={() => void selectConversation(c.id)}
                  >
                    <th scope="row">
                      <button
                        type="button"
                        className="conv-pick"
                        aria-pressed={active}
                        onClick={(e) => {
                          e.stopPropagation();
                          void selectConversation(c.id);
                        }}
                      >
                        <span className="conv-title">{c.title ?? c.id}</span>
                        {c.title && <span className="conv-id">{c.id}</span>}
                      </button>
                    </th>
                    <td className="num" title="User messages">
                      {formatInt(c.turns)}
                    </td>
                    <td className="num">{formatInt(c.messages)}</td>
                    <td className="num">{formatInt(c.toolCalls)}</td>
                    <td className="num" title={TOKENS_HINT}>
                      {formatInt(c.tokens)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
