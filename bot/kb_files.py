"""Knowledge files as text: uploads read within bounds, exports zipped, edits made.

An upload is one ``.yaml`` file (it replaces or joins the file of the same name)
or a ``.zip`` of the whole knowledge directory (it replaces every file). Bounds:
1 MiB per file, 5 MiB per zip and in all, 200 files; no entry may leave the
directory (absolute paths, ``..``, links); YAML anchors and aliases are refused,
which also rules out "billion laughs" expansions.

Edits keep the staff's own formatting and comments: a phrasing is inserted as a
line under the topic's ``questions``; a new topic is a file of its own.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from bot.knowledge import Location, Problem, knowledge_files
from bot.knowledge.nodes import MAX_FILE_BYTES, MAX_FILES, SUFFIXES, peek_id
from bot.yamlload import FastSafeLoader

MiB = 1 << 20
MAX_FILE = MAX_FILE_BYTES
MAX_ZIP = 5 * MiB
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
EXPORT_FOLDER = "knowledge"
Files = dict[str, str]


class UploadError(ValueError):
    """The upload cannot be read; the message is one line for the staff member."""


class EditError(ValueError):
    """The change cannot be made to the files as they are written."""


@dataclass(frozen=True, slots=True)
class Upload:
    name: str
    files: Files
    whole: bool  # a zip replaces the knowledge base; a .yaml file replaces or adds one file


def check_size(name: str, size: int | None) -> None:
    """Refuse an upload by its name and announced size, before downloading it."""
    kind = upload_kind(name)
    limit = MAX_ZIP if kind == "zip" else MAX_FILE
    if size is not None and size > limit:
        raise UploadError(f"{name} is {size / MiB:.1f} MiB; the limit is {limit // MiB} MiB")


def upload_kind(name: str) -> str:
    lower = name.lower()
    if lower.endswith(".zip"):
        return "zip"
    if lower.endswith(SUFFIXES):
        return "yaml"
    raise UploadError(
        f"send one knowledge file (.yaml) or a .zip of the knowledge directory, not {name[:60]}"
    )


def read_upload(name: str, data: bytes) -> Upload:
    check_size(name, len(data))
    if upload_kind(name) == "zip":
        return Upload(name, read_zip(data), whole=True)
    base = PurePosixPath(name.replace("\\", "/")).name
    if not FILE_NAME.match(base):
        raise UploadError(f"'{base[:60]}' is not a usable file name (letters, digits, . _ -)")
    return Upload(base, {base: decode(base, data)}, whole=False)


def decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UploadError(f"{name}: not UTF-8 text (byte {error.start})") from error


def read_zip(data: bytes) -> Files:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise UploadError("the .zip file cannot be read: it is damaged or not a zip") from error
    entries: list[tuple[str, zipfile.ZipInfo]] = []
    with archive:
        for info in archive.infolist():
            path = entry_path(info)
            if path is None:
                continue
            if info.file_size > MAX_FILE:
                raise UploadError(f"{path} is over {MAX_FILE // MiB} MiB")
            entries.append((path, info))
        if not entries:
            raise UploadError("the .zip holds no .yaml file")
        if len(entries) > MAX_FILES:
            raise UploadError(f"the .zip holds {len(entries)} files; at most {MAX_FILES}")
        files: Files = {}
        total = 0
        for path, info in entries:
            try:
                with archive.open(info) as member:
                    body = member.read(MAX_FILE + 1)
            except (RuntimeError, zipfile.BadZipFile, OSError) as error:
                raise UploadError(f"{path}: cannot be unpacked ({error})") from error
            total += len(body)
            if len(body) > MAX_FILE or total > MAX_ZIP:
                raise UploadError(f"the .zip unpacks to over {MAX_ZIP // MiB} MiB")
            files[path] = decode(path, body)
    return strip_folder(files)


def entry_path(info: zipfile.ZipInfo) -> str | None:
    """The entry's path within the knowledge base; None for what is not a knowledge file."""
    name = info.filename
    if info.is_dir():
        return None
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise UploadError(f"{name[:80]}: links are not allowed in the .zip")
    if "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise UploadError(f"{name[:80]}: the path leaves the knowledge directory")
    parts = PurePosixPath(name).parts
    if ".." in parts:
        raise UploadError(f"{name[:80]}: the path leaves the knowledge directory")
    # Finder's resource forks and hidden files are not knowledge.
    if parts[0] == "__MACOSX" or any(part.startswith(".") for part in parts):
        return None
    if not name.lower().endswith(SUFFIXES):
        return None
    if not all(FILE_NAME.match(part) for part in parts):
        raise UploadError(f"{name[:80]}: use letters, digits, . _ - in file and folder names")
    return PurePosixPath(*parts).as_posix()


def strip_folder(files: Files) -> Files:
    """``knowledge/topics.yaml`` -> ``topics.yaml`` when every file sits in one folder."""
    firsts = {PurePosixPath(path).parts[0] for path in files}
    nested = all(len(PurePosixPath(path).parts) > 1 for path in files)
    if len(firsts) == 1 and nested:
        return {PurePosixPath(*PurePosixPath(p).parts[1:]).as_posix(): t for p, t in files.items()}
    return files


def merge(current: Mapping[str, str], upload: Upload) -> Files:
    """The knowledge base the upload makes: the zip alone, or the files with one replaced."""
    if upload.whole:
        return dict(upload.files)
    [(name, text)] = upload.files.items()
    same = [path for path in current if PurePosixPath(path).name == name]
    merged = dict(current)
    merged[same[0] if len(same) == 1 else name] = text
    return merged


def alias_problems(files: Mapping[str, str]) -> list[Problem]:
    """Every YAML anchor or alias, at its file and line (syntax errors are the loader's)."""
    problems = []
    for path, text in sorted(files.items()):
        try:
            for event in yaml.parse(text, Loader=FastSafeLoader):
                if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                    line = event.start_mark.line + 1 if event.start_mark else 0
                    where = Location(Path(path), line)
                    problems.append(
                        Problem(where, "YAML anchors and aliases (& and *) are not allowed")
                    )
        except yaml.YAMLError:
            continue
    return problems


def directory_texts(directory: Path) -> Files:
    """A knowledge directory's files as text, by their path within it."""
    return {
        path.relative_to(directory).as_posix(): path.read_text(encoding="utf-8")
        for path in knowledge_files(directory)
    }


def zip_texts(files: Mapping[str, str]) -> bytes:
    """The files as a .zip, in a ``knowledge/`` folder: upload it back as it is."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, text in sorted(files.items()):
            info = zipfile.ZipInfo(f"{EXPORT_FOLDER}/{path}", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


# -- edits ------------------------------------------------------------------------------


def quoted(text: str) -> str:
    """One YAML double-quoted scalar on one line, whatever the text holds."""
    dumped: str = yaml.safe_dump(text, allow_unicode=True, default_style='"', width=1 << 30)
    return dumped.strip().removesuffix("...").strip()


def add_phrasing(files: Mapping[str, str], topic_id: str, question: str) -> Files:
    """The files with ``question`` added to the topic's questions, as one more line."""
    for path, text in sorted(files.items()):
        try:
            root = yaml.compose(text, Loader=FastSafeLoader)
        except yaml.YAMLError:
            continue
        sequence = topic_questions(root, topic_id)
        if sequence is None:
            continue
        if sequence.flow_style or not sequence.value:
            raise EditError(
                f"{path}: the questions of '{topic_id}' are not written as a '- ' list; "
                "add the phrasing there by hand and upload the file"
            )
        lines = text.splitlines(keepends=True)
        last = sequence.value[-1]
        start = lines[last.start_mark.line]
        prefix = start[: last.start_mark.column]
        if prefix.strip() != "-":
            raise EditError(f"{path}:{last.start_mark.line + 1}: cannot add a line after this")
        end = last.end_mark.line - (1 if last.end_mark.column == 0 else 0)
        if not lines[end].endswith("\n"):
            lines[end] += "\n"
        lines.insert(end + 1, f"{prefix}{quoted(question)}\n")
        return {**files, path: "".join(lines)}
    raise EditError(f"topic '{topic_id}' is not in the knowledge base any more")


def topic_questions(root: yaml.Node | None, topic_id: str) -> yaml.SequenceNode | None:
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if key.value != "topics" or not isinstance(value, yaml.SequenceNode):
            continue
        for item in value.value:
            if peek_id(item) != topic_id or not isinstance(item, yaml.MappingNode):
                continue
            for field, node in item.value:
                if field.value == "questions" and isinstance(node, yaml.SequenceNode):
                    return node
    return None


class _Dumper(yaml.SafeDumper):
    """Multi-line text as a literal block, as staff write answers by hand."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def topic_file(
    topic_id: str, title: str, question: str, answer: str, origin: str
) -> tuple[str, str]:
    """A new topic in a file of its own: (its path, its YAML)."""
    topic = {"id": topic_id, "title": title, "questions": [question], "answer": answer}
    body = yaml.dump(
        {"topics": [topic]}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=99
    )
    header = (
        f"# Drafted from {origin}. Edit the title, add the ways applicants ask it under\n"
        "# questions, and keep the id once it is live.\n"
    )
    return f"office/{topic_id.rsplit('.', 1)[-1]}.yaml", header + body


def title_from(question: str, limit: int = 60) -> str:
    """A topic title from a question: one line, without the question mark, capitalised."""
    flat = " ".join(question.split()).rstrip("?!. ")
    if len(flat) > limit:
        flat = flat[:limit].rsplit(" ", 1)[0] + "…"
    return (flat[:1].upper() + flat[1:]) or "Answer from the office"
