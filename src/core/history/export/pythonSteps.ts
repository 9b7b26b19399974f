/**
 * The step functions of the generated Python module (see pythonRuntime.ts): the engine's steps
 * (src/core/history/policy/steps.ts, summarise.ts) restated over OpenAI chat messages (dicts). No backticks
 * and no dollar-brace inside, so they sit in raw template strings as written.
 */

export const PY_STEPS = {
  dropRepeats: String.raw`
def _tool_name(a: Message, call_id: Any) -> str:
    """The name of the tool whose call id is in the assistant message a."""
    for c in _calls(a):
        if c.get("id") == call_id:
            return _call_name(c)
    return "tool"


def _drop_repeats(system: Optional[str], msgs: List[Message], step: Dict[str, Any], ctx: _Context) -> List[Message]:
    """Drops a unit (a message, or a tool call with its results) that repeats an earlier one, call ids aside,
    when it has at least min_tokens tokens; never the last unit. With results, a tool result that repeats an
    earlier result becomes a placeholder."""
    units = set()
    results = set()
    out: List[Message] = []
    changed = False
    i = 0
    while i < len(msgs):
        end = _unit_end(msgs, i)
        key = "\n".join(_message_key(msgs[j], False) for j in range(i, end))
        tokens = sum(_message_tokens(msgs[j], ctx) for j in range(i, end))
        if end < len(msgs) and tokens >= step["min_tokens"] and key in units:
            changed = True
            i = end
            continue
        units.add(key)
        out.append(msgs[i])
        for j in range(i + 1, end):
            m = msgs[j]
            if step["results"] and _result_text(m) != "" and _message_tokens(m, ctx) >= step["min_tokens"]:
                h = _message_key(m, False)
                if h in results:
                    name = _tool_name(msgs[i], m.get("tool_call_id"))
                    out.append(_with_result(m, step["result_placeholder"].replace("{tool}", name)))
                    changed = True
                    continue
                results.add(h)
            out.append(m)
        i = end
    return out if changed else msgs
`,
  toolResults: String.raw`
def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le", "surrogatepass")


def _truncate_middle(text: str, max_tokens: int, marker: str, count: Callable[[str], int]) -> str:
    """The head and the tail of text (about max_tokens in all) around a marker saying how many tokens were
    cut. Cuts are made at UTF-16 positions, as JavaScript makes them, so both give the same text."""
    total = count(text)
    if total <= max_tokens:
        return text
    head_budget = -(-max_tokens // 2)
    tail_budget = max_tokens - head_budget
    units = _utf16(text)
    size = len(units) // 2

    def piece(a: int, b: int) -> str:
        return units[2 * a : 2 * b].decode("utf-16-le", "surrogatepass")

    def unit(i: int) -> int:
        return units[2 * i] | (units[2 * i + 1] << 8)

    def longest(budget: int, from_end: bool) -> int:
        lo, hi = 0, size
        while lo < hi:
            mid = (lo + hi + 1) >> 1
            if count(piece(size - mid, size) if from_end else piece(0, mid)) <= budget:
                lo = mid
            else:
                hi = mid - 1
        return lo

    head = longest(head_budget, False)
    # never split a surrogate pair
    if 0 < head < size and 0xD800 <= unit(head - 1) <= 0xDBFF:
        head -= 1
    tail = min(longest(tail_budget, True), size - head)
    if tail > 0 and 0xDC00 <= unit(size - tail) <= 0xDFFF:
        tail -= 1
    head_text = piece(0, head)
    tail_text = piece(size - tail, size)
    left = max(0, total - count(head_text) - count(tail_text))
    return head_text + marker.replace("{tokens}", f"{left:,}") + tail_text


def _tool_results(system: Optional[str], msgs: List[Message], step: Dict[str, Any], ctx: _Context) -> List[Message]:
    """Truncates long tool results to their head and tail, and/or replaces the results of all but the last
    keep tool uses by a placeholder (a result already shorter than the placeholder stays). Calls stay."""
    clear = step["clear"]
    truncate = step["truncate"]
    excluded = set(clear["exclude_tools"]) if clear else set()
    uses = sum(1 for m in msgs for c in _calls(m) if _call_name(c) not in excluded) if clear else 0
    old_uses = max(0, uses - clear["keep"]) if clear else 0
    seen_uses = 0
    to_clear: Dict[Any, int] = {}
    assistant = None
    out: Optional[List[Message]] = None
    for i, m in enumerate(msgs):
        nxt = m
        role = m.get("role")
        if role == "assistant":
            assistant = m
            to_clear = {}
            for c in _calls(m):
                if _call_name(c) in excluded:
                    continue
                if seen_uses < old_uses:
                    to_clear[c.get("id")] = to_clear.get(c.get("id"), 0) + 1
                seen_uses += 1
        elif role == "tool" and assistant is not None:
            call_id = m.get("tool_call_id")
            text = _result_text(m)
            n = 0 if call_id is None else to_clear.get(call_id, 0)
            if clear and call_id is not None and n > 0:
                to_clear[call_id] = n - 1
                if text != "" and ctx.count(text) > ctx.count(clear["placeholder"]):
                    nxt = _with_result(m, clear["placeholder"])
            elif truncate and text != "":
                cut = _truncate_middle(text, truncate["max_tokens"], truncate["marker"], ctx.count)
                if cut != text:
                    nxt = _with_result(m, cut)
        else:
            assistant = None
        if nxt is not m and out is None:
            out = msgs[:i]
        if out is not None:
            out.append(nxt)
    return msgs if out is None else out
`,
  lastN: String.raw`
def _last_n(system: Optional[str], msgs: List[Message], step: Dict[str, Any], ctx: _Context) -> List[Message]:
    """Keeps the latest messages or turns (a turn starts at a user message), never splitting a tool call
    from its results."""
    n = len(msgs)
    pin = _first_user_index(msgs) if step["keep_first_user"] else -1
    cut = 0
    if step["turns"] is not None:
        seen = 0
        for i in range(n - 1, -1, -1):
            if msgs[i].get("role") == "user":
                seen += 1
                if seen == step["turns"]:
                    cut = i
                    break
    else:
        target = n - step["messages"]
        if target > 0:
            cut = next((c for c in range(target, n) if _can_start_at(msgs, c)), -1)
            if cut < 0:
                cut = next((c for c in range(target - 1, -1, -1) if _can_start_at(msgs, c)), 0)
    return msgs if cut == 0 else _window_from(msgs, cut, pin)
`,
  tokenBudget: String.raw`
def _token_budget(system: Optional[str], msgs: List[Message], step: Dict[str, Any], ctx: _Context) -> List[Message]:
    """Drops the oldest units until the request fits max_tokens: the longest valid window (after the first
    user message when it is kept) whose count fits, or the smallest valid one when none does."""
    base = _request_tokens(system, [], ctx)
    pin = _first_user_index(msgs) if step["keep_first_user"] else -1
    pin_tokens = _message_tokens(msgs[pin], ctx) if pin >= 0 else 0
    acc = 0
    best = -1
    smallest = -1
    for c in range(len(msgs) - 1, -1, -1):
        acc += _message_tokens(msgs[c], ctx)
        # no longer window can fit: each holds this one's messages
        if base + acc > step["max_tokens"] and smallest >= 0:
            break
        if not _can_start_at(msgs, c):
            continue
        tokens = base + acc + (pin_tokens if 0 <= pin < c else 0)
        if smallest < 0:
            smallest = c
        if tokens <= step["max_tokens"]:
            best = c
    if best >= 0:
        return msgs if best == 0 else _window_from(msgs, best, pin)
    if smallest < 0:
        return msgs
    return _window_from(msgs, smallest, pin)
`,
  summarise: String.raw`
SUMMARY_HEADER = "Summary of the earlier conversation:"

# JavaScript's whitespace (String.prototype.trim), which differs from str.isspace
_JS_SPACE = frozenset(
    "\t\n\x0b\x0c\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)


def _blank(text: str) -> bool:
    return all(ch in _JS_SPACE for ch in text)


def _transcript(messages: List[Message]) -> str:
    """A plain-text transcript of messages for the summariser."""
    lines: List[str] = []
    names: Dict[Any, str] = {}
    for m in messages:
        role = m.get("role")
        if role == "tool":
            lines.append("Result of " + names.get(m.get("tool_call_id") or "", "a tool") + ": " + _result_text(m))
            continue
        label = {"user": "User", "assistant": "Assistant"}.get(role)
        if label is not None:
            lines += [label + ": " + t for t in _texts(m) if not _blank(t)]
        for c in _calls(m):
            names[c.get("id")] = _call_name(c)
            lines.append("Assistant called " + _call_name(c) + "(" + _input_text(_call_input(c)) + ")")
    return "\n".join(lines)


def _result_ids(m: Message) -> str:
    return ",".join([m.get("tool_call_id") or ""] + ["" for _ in _other_parts(m)])


def _still_covers(msgs: List[Message], covered: List[Message]) -> bool:
    """Whether msgs still starts with what a summary covered (a tool result rewritten since still counts)."""
    if len(msgs) < len(covered):
        return False
    for a, b in zip(msgs, covered):
        if a is b:
            continue
        if a.get("role") == "tool" and b.get("role") == "tool" and _result_ids(a) == _result_ids(b):
            continue
        if _message_key(a, True) != _message_key(b, True):
            return False
    return True


def _placed(system: Optional[str], msgs: List[Message], step: Dict[str, Any], s: Optional[Dict[str, Any]], start: int) -> Tuple[Optional[str], List[Message]]:
    if s is None:
        return system, msgs
    tail = msgs[start:]
    if step["placement"] == "system":
        text = SUMMARY_HEADER + "\n" + s["summary"]
        return (system + "\n\n" + text if system else text), tail
    return system, [s["message"]] + tail


def _triggered(system: Optional[str], msgs: List[Message], step: Dict[str, Any], ctx: _Context) -> bool:
    t = step["trigger"]
    if t["messages"] is not None and len(msgs) >= t["messages"]:
        return True
    if t["tokens"] is None and t["context_fraction"] is None:
        return False
    tokens = _request_tokens(system, msgs, ctx)
    if t["tokens"] is not None and tokens >= t["tokens"]:
        return True
    if t["context_fraction"] is not None:
        if not ctx.context_window:
            raise ValueError("This policy summarises at a share of the context window: pass context_window.")
        if tokens >= t["context_fraction"] * ctx.context_window:
            return True
    return False


def _summarise(system: Optional[str], msgs: List[Message], step: Dict[str, Any], ctx: _Context) -> Tuple[Optional[str], List[Message]]:
    """Between triggers the request is the summary followed by every message after the part it covers; at
    the trigger, the part before the last keep_last messages is folded into the summary with the previous one."""
    index = step["index"]
    state = ctx.state.get(index)
    if state is not None and not _still_covers(msgs, state["covered"]):
        del ctx.state[index]
        state = None
    start = len(state["covered"]) if state is not None else 0
    current = _placed(system, msgs, step, state, start)
    if not _triggered(current[0], current[1], step, ctx):
        return current
    cut = next((c for c in range(min(len(msgs) - step["keep_last"], len(msgs) - 1), start, -1) if _can_start_at(msgs, c)), -1)
    if cut < 0:
        return current
    fresh = msgs[start:cut]
    previous = state["summary"] if state is not None else None
    if previous is None:
        user = "Conversation:\n" + _transcript(fresh)
    else:
        user = "Summary so far:\n" + previous + "\n\nNew messages:\n" + _transcript(fresh)
    if ctx.summarise is None:
        raise ValueError("This policy summarises (step %d): pass summarise." % (index + 1))
    summary = ctx.summarise({
        "model": step["model"],
        "system": step["prompt"].replace("{maxTokens}", str(step["max_summary_tokens"])),
        "user": user,
        "max_output_tokens": step["max_summary_tokens"],
        "messages": fresh,
        "previous": previous,
    })
    nxt = {
        "covered": msgs[:cut],
        "summary": summary,
        "message": {"role": "user", "content": SUMMARY_HEADER + "\n" + summary},
    }
    ctx.state[index] = nxt
    return _placed(system, msgs, step, nxt, cut)
`,
} as const;
