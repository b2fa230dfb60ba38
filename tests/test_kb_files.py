"""Uploads read within bounds, exports, and edits that keep the staff's formatting."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest

from bot.kb_files import (
    MAX_FILE,
    MAX_ZIP,
    EditError,
    Upload,
    UploadError,
    add_phrasing,
    alias_problems,
    check_size,
    merge,
    read_upload,
    title_from,
    topic_file,
    zip_texts,
)
from bot.knowledge.texts import load_texts
from tests.conftest import minimal_kb_files


def zipped(entries: dict[str, bytes], *, link: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in entries.items():
            archive.writestr(name, body)
        if link is not None:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def test_a_yaml_file_replaces_its_namesake() -> None:
    upload = read_upload("topics.yaml", b"topics: []\n")
    assert upload == Upload("topics.yaml", {"topics.yaml": "topics: []\n"}, whole=False)
    current = {"a/topics.yaml": "old", "messages.yaml": "m"}
    assert merge(current, upload) == {"a/topics.yaml": "topics: []\n", "messages.yaml": "m"}
    added = merge(current, read_upload("new.yml", b"x: 1"))
    assert added["new.yml"] == "x: 1"


def test_a_zip_replaces_everything_and_its_folder_is_dropped() -> None:
    files = {f"knowledge/{n}": t.encode() for n, t in minimal_kb_files().items()}
    files["knowledge/README.md"] = b"not knowledge"
    files["__MACOSX/knowledge/._topics.yaml"] = b"\x00\x05"
    upload = read_upload("kb.zip", zipped(files))
    assert upload.whole
    assert upload.files == minimal_kb_files()
    assert merge({"old.yaml": "x"}, upload) == minimal_kb_files()


def test_an_export_uploads_back_unchanged() -> None:
    files = {**minimal_kb_files(), "office/ticket-1.yaml": "topics: []  # ✓\n"}
    assert read_upload("knowledge-v3.zip", zip_texts(files)).files == files


@pytest.mark.parametrize(
    ("entries", "says"),
    [
        ({"../evil.yaml": b"x"}, "leaves the knowledge directory"),
        ({"/etc/evil.yaml": b"x"}, "leaves the knowledge directory"),
        ({"a/../../evil.yaml": b"x"}, "leaves the knowledge directory"),
        ({"C:/evil.yaml": b"x"}, "leaves the knowledge directory"),
        ({"a\\evil.yaml": b"x"}, "leaves the knowledge directory"),
        ({"notes.txt": b"x"}, "holds no .yaml file"),
        ({"big.yaml": b"x" * (MAX_FILE + 1)}, "is over 1 MiB"),
        ({"bad name!.yaml": b"x"}, "use letters, digits"),
        ({"latin1.yaml": "caf\u00e9".encode("latin-1")}, "not UTF-8 text"),
    ],
)
def test_a_bad_zip_is_refused_with_a_reason(entries: dict[str, bytes], says: str) -> None:
    with pytest.raises(UploadError, match=says):
        read_upload("kb.zip", zipped(entries))


def test_links_in_a_zip_are_refused() -> None:
    with pytest.raises(UploadError, match="links are not allowed"):
        read_upload("kb.zip", zipped({"topics.yaml": b"x"}, link="passwd.yaml"))


def test_a_zip_bomb_stops_at_the_total() -> None:
    entries = {f"f{n}.yaml": b" " * (MAX_FILE - 10) for n in range(6)}
    with pytest.raises(UploadError, match="unpacks to over 5 MiB"):
        read_upload("kb.zip", zipped(entries))


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("kb.zip", b"not a zip", "damaged or not a zip"),
        ("notes.txt", b"x", "send one knowledge file"),
        ("topics.yaml", b"\xff\xfe", "not UTF-8 text"),
        ("topics.yaml", b"x" * (MAX_FILE + 1), "the limit is 1 MiB"),
        ("we ird.yaml", b"x", "not a usable file name"),
    ],
)
def test_bad_uploads(name: str, data: bytes, says: str) -> None:
    with pytest.raises(UploadError, match=says):
        read_upload(name, data)


def test_sizes_are_checked_before_downloading() -> None:
    check_size("kb.zip", MAX_ZIP)
    with pytest.raises(UploadError, match="the limit is 5 MiB"):
        check_size("kb.zip", MAX_ZIP + 1)
    with pytest.raises(UploadError, match="the limit is 1 MiB"):
        check_size("topics.yaml", MAX_FILE + 1)


def test_yaml_anchors_and_aliases_are_found_with_their_lines() -> None:
    text = "topics:\n  - &alt\n    id: a\n  - *alt\n"
    assert [str(p) for p in alias_problems({"t.yaml": text, "ok.yaml": "a: 1\n"})] == [
        "t.yaml:2: YAML anchors and aliases (& and *) are not allowed",
        "t.yaml:4: YAML anchors and aliases (& and *) are not allowed",
    ]


def test_a_phrasing_is_one_more_line_in_the_topic() -> None:
    files = minimal_kb_files()
    changed = add_phrasing(files, "roles.cir", 'Is a "CIR" a translator? 😀')
    before, after = files["topics.yaml"].splitlines(), changed["topics.yaml"].splitlines()
    assert len(after) == len(before) + 1
    [added] = [line for line in after if line not in before]
    assert added.startswith('      - "Is a \\"CIR\\" a translator?')
    kb = load_texts(changed)
    assert kb.topics["roles.cir"].questions[-1] == 'Is a "CIR" a translator? 😀'
    assert {k: v for k, v in changed.items() if k != "topics.yaml"} == {
        k: v for k, v in files.items() if k != "topics.yaml"
    }


def test_a_phrasing_for_a_missing_or_flow_style_topic_is_refused() -> None:
    with pytest.raises(EditError, match="not in the knowledge base"):
        add_phrasing(minimal_kb_files(), "roles.none", "q")
    flow = {"t.yaml": "topics:\n  - id: a.b\n    title: T\n    questions: [x, y]\n    answer: A\n"}
    with pytest.raises(EditError, match="not written as a '- ' list"):
        add_phrasing(flow, "a.b", "q")


def test_a_new_topic_file() -> None:
    path, text = topic_file("office.ticket-4", "Can I bring my cat", "can i bring my cat?",
                            "Yes.\nWith papers.", "ticket #4")  # fmt: skip
    assert path == "office/ticket-4.yaml"
    assert text.startswith("# Drafted from ticket #4.")
    kb = load_texts({**minimal_kb_files(), path: text})
    topic = kb.topics["office.ticket-4"]
    assert (topic.title, topic.questions, topic.answer) == (
        "Can I bring my cat",
        ("can i bring my cat?",),
        "Yes.\nWith papers.",
    )


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("can i bring my cat?", "Can i bring my cat"),
        ("  What   about visas?!  ", "What about visas"),
        ("x " * 50, "X x x x x x x x x x x x x x x x x x x x x x x x x x x x x x…"),
    ],
)
def test_titles_from_questions(question: str, title: str) -> None:
    assert title_from(question) == title
