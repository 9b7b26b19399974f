/**
 * The code of the generated Python module: the core here, the step functions in pythonSteps.ts
 * (policyToPython keeps those the policy needs). It is the engine's algorithm (src/core/history/policy) over OpenAI chat messages (dicts), written so
 * that Python computes what JavaScript computes: arguments are re-serialised as JSON.stringify would write
 * them (key order, number format, escapes), text is cut at UTF-16 positions, and blank text is JavaScript's
 * whitespace. test/core/history/export runs it against the engine. The pieces hold no backticks and no
 * dollar-brace, so they sit in raw template strings as written.
 */

export const PY_CORE = String.raw`
Message = Dict[str, Any]


def estimate_tokens(text: str) -> int:
    """A rough token count: UTF-8 bytes / 4, rounded up. The default when no count_tokens is passed, so
    budgets are then estimates: pass the target model's tokenizer for exact ones."""
    return (len(text.encode("utf-8", "surrogatepass")) + 3) // 4


class _Context:
    def __init__(self, count, tool_tokens, context_window, summarise, state):
        self.count = count or estimate_tokens
        self.tool_tokens = tool_tokens
        self.context_window = context_window
        self.summarise = summarise
        self.state = state
        # each message's tokens, counted once per call (the message is kept so that its id stays its own)
        self.tokens: Dict[int, Tuple[Message, int]] = {}


def _is_system(m: Message) -> bool:
    return m.get("role") in ("system", "developer")


def _texts(m: Message) -> List[str]:
    """The text parts of a message's content (a string is one)."""
    c = m.get("content")
    if isinstance(c, str):
        return [c]
    if not isinstance(c, list):
        return []
    return [
        p["text"] if isinstance(p.get("text"), str) else ""
        for p in c
        if isinstance(p, dict) and p.get("type") == "text"
    ]


def _other_parts(m: Message) -> List[Any]:
    """The parts that are not text (images, refusals, ...)."""
    c = m.get("content")
    if not isinstance(c, list):
        return []
    return [p for p in c if not (isinstance(p, dict) and p.get("type") == "text")]


def _result_text(m: Message) -> str:
    """A tool message's result: its text parts joined by newlines."""
    return "\n".join(_texts(m))


def _calls(m: Message) -> List[Dict[str, Any]]:
    calls = m.get("tool_calls")
    return calls if m.get("role") == "assistant" and isinstance(calls, list) else []


def _call_name(c: Dict[str, Any]) -> str:
    fn = c.get("function")
    name = fn.get("name") if isinstance(fn, dict) else None
    return name if isinstance(name, str) else ""


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def _call_input(c: Dict[str, Any]) -> Any:
    """A call's arguments as read: the parsed JSON, or the text itself when it is not JSON or is a JSON string."""
    fn = c.get("function")
    raw = fn.get("arguments") if isinstance(fn, dict) else None
    if raw is None:
        return {}
    if not isinstance(raw, str) or raw == "":
        return raw
    try:
        value = json.loads(raw, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return raw
    return raw if isinstance(value, str) else value


_ARRAY_INDEX = re.compile(r"(?:0|[1-9][0-9]*)\Z")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _js_string(s: str) -> str:
    out = json.dumps(s, ensure_ascii=False)
    return _LONE_SURROGATE.sub(lambda m: "\\u%04x" % ord(m.group()), out)


def _js_number(x: Any) -> str:
    """A number as JavaScript writes it (JSON.parse reads every number as a double)."""
    if isinstance(x, int):
        if -(2**53) <= x <= 2**53:
            return str(x)
        try:
            x = float(x)
        except OverflowError:
            return "null"
    if x != x or x in (float("inf"), float("-inf")):
        return "null"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    t = Decimal(repr(abs(x))).as_tuple()
    digits = "".join(str(d) for d in t.digits)
    stripped = digits.rstrip("0")
    k = len(stripped)
    n = t.exponent + len(digits)  # the value is 0.<digits> x 10^n
    if k <= n <= 21:
        return sign + stripped + "0" * (n - k)
    if 0 < n <= 21:
        return sign + stripped[:n] + "." + stripped[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + stripped
    e = n - 1
    mantissa = stripped if k == 1 else stripped[0] + "." + stripped[1:]
    return sign + mantissa + "e" + ("+" if e > 0 else "-") + str(abs(e))


def _js_json(v: Any) -> str:
    """JSON as JavaScript's JSON.stringify writes it: compact, integer-like keys first, numbers as JavaScript."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return _js_number(v)
    if isinstance(v, str):
        return _js_string(v)
    if isinstance(v, (list, tuple)):
        return "[" + ",".join(_js_json(x) for x in v) + "]"
    if isinstance(v, dict):
        def is_index(k: Any) -> bool:
            return isinstance(k, str) and bool(_ARRAY_INDEX.match(k)) and int(k) < 4294967295

        keys = sorted((k for k in v if is_index(k)), key=int) + [k for k in v if not is_index(k)]
        return "{" + ",".join(_js_string(str(k)) + ":" + _js_json(v[k]) for k in keys) + "}"
    return "null"


def _input_text(value: Any) -> str:
    """Arguments as counted and summarised: compact JSON of the parsed value, or the text as written."""
    if isinstance(value, str):
        return value
    return _js_json({} if value is None else value)


def _message_tokens(m: Message, ctx: _Context) -> int:
    """Tokens a message adds to a request, framed as OpenAI's chat format frames it: 3, the role, the text,
    the name (+1), each tool call's name and arguments, the tool call id."""
    hit = ctx.tokens.get(id(m))
    if hit is not None:
        return hit[1]
    count = ctx.count
    role = m.get("role")
    n = 3 + count(role)
    if role == "tool":
        n += count(_result_text(m))
    else:
        for t in _texts(m):
            n += count(t)
    if isinstance(m.get("name"), str):
        n += count(m["name"]) + 1
    for c in _calls(m):
        n += count(_call_name(c)) + count(_input_text(_call_input(c)))
    if role == "tool" and isinstance(m.get("tool_call_id"), str):
        n += count(m["tool_call_id"])
    ctx.tokens[id(m)] = (m, n)
    return n


def _request_tokens(system: Optional[str], messages: List[Message], ctx: _Context) -> int:
    """Input tokens of the request: 3 to prime the reply, the system message, tool definitions, the messages."""
    n = 3 + ctx.tool_tokens
    if system is not None:
        n += 3 + ctx.count("system") + ctx.count(system)
    for m in messages:
        n += _message_tokens(m, ctx)
    return n


def _unit_end(msgs: List[Message], i: int) -> int:
    """The index after the unit at i: a tool call with its results, or one message."""
    j = i + 1
    if _calls(msgs[i]):
        while j < len(msgs) and msgs[j].get("role") == "tool":
            j += 1
    return j


def _can_start_at(msgs: List[Message], i: int) -> bool:
    """A request never starts with a tool result (it would answer no call)."""
    return i < len(msgs) and msgs[i].get("role") != "tool"


def _with_result(m: Message, text: str) -> Message:
    return {**m, "content": text}


def _first_user_index(msgs: List[Message]) -> int:
    return next((i for i, m in enumerate(msgs) if m.get("role") == "user"), -1)


def _window_from(msgs: List[Message], c: int, pin: int) -> List[Message]:
    """The kept first user message (when it is before c) followed by msgs[c:]."""
    return msgs[c:] if pin < 0 or pin >= c else [msgs[pin]] + msgs[c:]


def _message_key(m: Message, ids: bool) -> str:
    """A message's content as a key. For repeats (ids False) call ids are left out, and so are the names of
    assistant and tool messages; with ids, everything counts. cache_control markers are ignored."""
    role = m.get("role")
    named = ids or role not in ("assistant", "tool")
    key: List[Any] = [role, m.get("name") if named else None]
    if role == "tool":
        key += [m.get("tool_call_id") if ids else None, _result_text(m)]
        key += [["o", p] for p in _other_parts(m)]
    else:
        reasoning = m.get("reasoning_content")
        if role == "assistant" and isinstance(reasoning, str) and reasoning != "":
            key.append(["r", reasoning])
        c = m.get("content")
        if isinstance(c, str):
            key.append(["t", c])
        elif isinstance(c, list):
            for p in c:
                if isinstance(p, dict) and p.get("type") == "text":
                    key.append(["t", p["text"] if isinstance(p.get("text"), str) else ""])
                else:
                    key.append(["o", p])
        if role == "assistant" and isinstance(m.get("refusal"), str):
            key.append(["o", {"type": "refusal", "refusal": m["refusal"]}])
        for call in _calls(m):
            key.append(["c", call.get("id") if ids else None, _call_name(call), _call_input(call)])
    return _js_json(key)


def _output(system_messages: List[Message], original: Optional[str], system: Optional[str], msgs: List[Message]) -> List[Message]:
    """The request as sent: the system prompt first (the messages as given while it is unchanged), then the rest."""
    start = 0
    while start < len(msgs) and not _can_start_at(msgs, start):
        start += 1
    if system == original:
        head = list(system_messages)
    else:
        role = "developer" if system_messages and system_messages[0].get("role") == "developer" else "system"
        head = [{"role": role, "content": system or ""}]
    return head + msgs[start:]
`;
