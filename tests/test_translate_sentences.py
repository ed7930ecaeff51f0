"""Rule-based Chinese sentence splitting and placeholder restoration."""

from __future__ import annotations

from xyconvert.translate.placeholders import Span, merge_spans, protect, restore
from xyconvert.translate.sentences import split_segments, split_sentences
from xyconvert.translate.terms import LongestMatch


def test_sentence_enders_and_closers() -> None:
    text = "他说：“我们要努力。”然后走了！真的吗？是的；好。最后一句"
    assert split_sentences(text) == [
        "他说：“我们要努力。”",
        "然后走了！",
        "真的吗？",
        "是的；",
        "好。",
        "最后一句",
    ]


def test_closing_bracket_stays() -> None:
    assert split_sentences("入选名录（详见附件。）下一句。") == [
        "入选名录（详见附件。）",
        "下一句。",
    ]


def test_decimals_and_list_markers_do_not_split() -> None:
    text = "实现产值1.15亿元，1.加快发展。2.投资增长。"
    assert split_sentences(text) == ["实现产值1.15亿元，1.加快发展。", "2.投资增长。"]


def test_long_sentence_split_at_commas() -> None:
    clause = "统筹发展和安全坚持稳中求进工作总基调加快融入新发展格局"  # 27 chars
    text = "，".join([clause] * 6) + "。"
    segs = split_segments(text, max_chars=60)
    assert len(segs) > 1
    assert all(len(s.text) <= 60 for s in segs)
    assert "".join(s.text for s in segs) == text
    assert [s.continues for s in segs] == [True] * (len(segs) - 1) + [False]
    assert all(s.text.endswith(("，", "。")) for s in segs)


def test_offsets_and_whitespace() -> None:
    text = "  第一句。 第二句。"
    segs = split_segments(text)
    assert [(s.text, text[s.start : s.end]) for s in segs] == [
        ("第一句。", "第一句。"),
        ("第二句。", "第二句。"),
    ]
    assert split_sentences("") == []


def test_longest_match() -> None:
    m = LongestMatch({"乡村": "rural", "乡村振兴": "rural revitalization", "振兴": "revival"})
    assert m("推进乡村振兴和乡村建设") == [(2, 6, "rural revitalization"), (7, 9, "rural")]


def test_merge_prefers_first_group() -> None:
    terms = [Span(0, 4, "A")]
    nums = [Span(2, 6, "B", "number"), Span(6, 8, "C", "number")]
    assert [s.english for s in merge_spans(terms, nums)] == ["A", "C"]


def test_restore_tolerates_damage_and_reinserts() -> None:
    text = "推进乡村振兴，投入1.2亿元。"
    spans = [Span(2, 6, "rural revitalization"), Span(9, 14, "RMB 120 million", "number")]
    protected, slots = protect(text, spans)
    assert protected == "推进 QX1 ，投入 QX2 。"
    out, outcomes = restore("We push qx 1 and QX 2, QX2 and QX9.", slots)
    assert out == "We push rural revitalization and RMB 120 million, and."
    assert all(o.in_place for o in outcomes)
    out, outcomes = restore("Something else entirely", slots)
    assert "rural revitalization" in out and "RMB 120 million" in out
    assert out.index("rural") < out.index("RMB")
    assert not any(o.in_place for o in outcomes)


def test_restore_inline_mode() -> None:
    text = "推进乡村振兴。"
    protected, slots = protect(text, [Span(2, 6, "rural revitalization")], mode="inline")
    assert protected == "推进 rural revitalization 。"
    out, outcomes = restore("Promote Rural Revitalization.", slots, mode="inline")
    assert outcomes[0].in_place and out == "Promote rural revitalization."


def test_terminal_progress_tty_only() -> None:
    import io

    from xyconvert.translate.progress import terminal_progress

    with terminal_progress(file=io.StringIO()) as cb:
        assert cb is None  # piped: quiet

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    with terminal_progress(file=out) as cb:
        assert cb is not None
        cb(0, 10)
        cb(10, 10)
    assert "10/10" in out.getvalue() and "sent/s" in out.getvalue()
