from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import BUNDLED_KNOWLEDGE
from bot.knowledge import (
    MAX_ANSWER_LENGTH,
    KnowledgeBase,
    KnowledgeBaseError,
    Problem,
    check_knowledge,
    load_knowledge,
)
from tests.conftest import WriteKb, minimal_kb_files

SHIPPED_TOPICS = {
    "programme.about",
    "programme.purpose",
    "programme.history",
    "programme.placement-locations",
    "positions.overview",
    "positions.apply-both",
    "positions.cir",
    "positions.alt",
    "positions.sea",
    "duties.cir",
    "duties.alt",
    "selection.recruitment",
    "selection.process",
    "selection.application-review",
    "selection.interview",
    "selection.results",
    "selection.placement",
    "selection.pre-departure",
    "contact.more-info",
}
SHIPPED_STAGES = ["application", "review", "interview", "results", "placement", "pre-departure"]
OFFICIAL_URL = "http://www.jetprogramme.org"


def only_problem(directory: Path) -> Problem:
    problems = check_knowledge(directory)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def assert_at(problem: Problem, file_name: str, line: int) -> None:
    assert (problem.location.path.name, problem.location.line) == (file_name, line), str(problem)
    assert str(problem).startswith(f"{problem.location.path}:{line}: ")


def with_extra(write_kb: WriteKb, text: str, name: str = "zz-extra.yaml") -> Path:
    # Files load in name order, so "zz-" puts the extra file after the minimal KB's files.
    return write_kb({**minimal_kb_files(), name: text})


# -- a valid knowledge base ---------------------------------------------------


def test_minimal_kb_loads(write_kb: WriteKb) -> None:
    directory = write_kb(minimal_kb_files())
    kb = load_knowledge(directory)
    assert list(kb.topics) == [
        "roles.alt",
        "roles.cir",
        "steps.apply",
        "steps.interview",
        "smalltalk.hello",
    ]
    alt = kb.topics["roles.alt"]
    assert alt.title == "What an ALT is"
    assert alt.questions == ("what is an alt", "tell me about the alt position")
    assert alt.keywords == ("classroom",)
    assert alt.related == ("roles.cir", "steps.apply")
    assert [(link.title, link.url) for link in alt.links] == [
        ("Official site", "https://example.org/alt")
    ]
    assert alt.location is not None
    assert (alt.location.path.name, alt.location.line) == ("topics.yaml", 10)
    assert kb.topics["smalltalk.hello"].is_smalltalk
    assert not alt.is_smalltalk
    assert [(s.id, s.topic) for s in kb.stages] == [
        ("apply", "steps.apply"),
        ("interview", "steps.interview"),
    ]
    assert kb.stage("interview").title == "Interview"
    assert kb.stage("nope") is None
    assert kb.welcome == "Welcome to the test bot!"
    assert kb.fallback == "Sorry, I don't know that one."
    assert dict(kb.synonyms) == {
        "alt": ("assistant language teacher",),
        "cir": ("coordinator for international relations",),
        "apply": ("application", "sign up"),
    }
    assert kb.directory == directory


def test_check_knowledge_returns_empty_list_for_valid_kb(write_kb: WriteKb) -> None:
    assert check_knowledge(write_kb(minimal_kb_files())) == []


def test_loaded_kb_is_read_only(write_kb: WriteKb) -> None:
    kb = load_knowledge(write_kb(minimal_kb_files()))
    with pytest.raises(TypeError):
        kb.topics["new"] = kb.topics["roles.alt"]  # type: ignore[index]


def test_yml_files_in_subdirectories_are_read(write_kb: WriteKb) -> None:
    files = minimal_kb_files()
    files["more/extra.yml"] = """\
        topics:
          - id: extra.topic
            title: Extra
            questions: [an extra question]
            answer: Extra answer.
        """
    kb = load_knowledge(write_kb(files))
    assert "extra.topic" in kb.topics


def test_synonyms_in_two_files_are_merged(write_kb: WriteKb) -> None:
    directory = with_extra(write_kb, "synonyms:\n  alt:\n    - english assistant\n")
    kb = load_knowledge(directory)
    assert kb.synonyms["alt"] == ("assistant language teacher", "english assistant")


# -- one problem at a time -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (
            "topics:\n  - id: extra.topic\n    title: Extra: with colon\n",
            3,
            "mapping values are not allowed here",
        ),
        (
            "topics:\n  - id: extra.topic\n\ttitle: Extra\n",
            3,
            "found character '\\t' that cannot start any token",
        ),
        (
            "topics:\n  - id: extra.topic\n    questions: [unclosed\n    answer: Extra.\n",
            4,
            "expected ',' or ']', but got ':'",
        ),
    ],
    ids=["colon", "tab", "unclosed-list"],
)
def test_yaml_syntax_error(write_kb: WriteKb, text: str, line: int, reason: str) -> None:
    problem = only_problem(with_extra(write_kb, text))
    assert_at(problem, "zz-extra.yaml", line)
    assert problem.message == f"YAML syntax error: {reason}"


def test_unknown_top_level_key(write_kb: WriteKb) -> None:
    problem = only_problem(with_extra(write_kb, "# comment\ntopicz: []\n"))
    assert_at(problem, "zz-extra.yaml", 2)
    assert "unknown key 'topicz'" in problem.message
    assert "did you mean 'topics'?" in problem.message
    assert "allowed: topics, stages, messages, synonyms" in problem.message


def test_unknown_key_in_topic_suggests_the_right_one(write_kb: WriteKb) -> None:
    text = """\
        topics:
          - id: extra.topic
            title: Extra
            questions: [an extra question]
            answer: Extra answer.
            anwser: Typo.
        """
    problem = only_problem(with_extra(write_kb, text))
    assert_at(problem, "zz-extra.yaml", 6)
    assert "unknown key 'anwser'" in problem.message
    assert "did you mean 'answer'?" in problem.message


def test_unknown_key_far_from_any_has_no_suggestion(write_kb: WriteKb) -> None:
    text = """\
        topics:
          - id: extra.topic
            title: Extra
            questions: [an extra question]
            answer: Extra answer.
            zzzzzz: 1
        """
    problem = only_problem(with_extra(write_kb, text))
    assert_at(problem, "zz-extra.yaml", 6)
    assert "unknown key 'zzzzzz'" in problem.message
    assert "did you mean" not in problem.message


@pytest.mark.parametrize("field", ["id", "title", "questions", "answer"])
def test_missing_required_field(write_kb: WriteKb, field: str) -> None:
    fields = {
        "id": "id: extra.topic",
        "title": "title: Extra",
        "questions": "questions: [an extra question]",
        "answer": "answer: Extra answer.",
    }
    del fields[field]
    first, *rest = fields.values()
    text = "\n".join(["topics:", f"  - {first}", *(f"    {line}" for line in rest), ""])
    problem = only_problem(with_extra(write_kb, text))
    assert_at(problem, "zz-extra.yaml", 2)
    assert f"missing required field '{field}'" in problem.message


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("    title: ''", "'title' is empty"),
        ("    title:", "'title' is empty"),
        ("    answer: '   '", "'answer' is empty"),
        ("    answer: ~", "'answer' is empty"),
        ("    questions: []", "'questions' is empty"),
    ],
)
def test_empty_field(write_kb: WriteKb, line: str, field: str) -> None:
    key = line.split(":")[0]
    body = {
        "    title:": "    title: Extra",
        "    questions:": "    questions: [an extra question]",
        "    answer:": "    answer: Extra answer.",
    }
    body[f"{key}:"] = line
    text = "\n".join(["topics:", "  - id: extra.topic", *body.values(), ""])
    problem = only_problem(with_extra(write_kb, text))
    line_number = 3 + list(body).index(f"{key}:")
    assert_at(problem, "zz-extra.yaml", line_number)
    assert problem.message == f"topic 'extra.topic': {field}"


def test_empty_question_in_list(write_kb: WriteKb) -> None:
    text = """\
        topics:
          - id: extra.topic
            title: Extra
            questions:
              - an extra question
              - ''
            answer: Extra answer.
        """
    problem = only_problem(with_extra(write_kb, text))
    assert_at(problem, "zz-extra.yaml", 6)
    assert "is empty" in problem.message


def test_questions_must_be_a_list(write_kb: WriteKb) -> None:
    text = """\
        topics:
          - id: extra.topic
            title: Extra
            questions: an extra question
            answer: Extra answer.
        """
    problem = only_problem(with_extra(write_kb, text))
    assert_at(problem, "zz-extra.yaml", 4)
    assert problem.message == "topic 'extra.topic': 'questions' must be a list"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("topics:\n  extra: 1\n", 1, "'topics' must be a list of topics"),
        ("topics:\n  - just a string\n", 2, "topic must be a mapping of keys to values"),
        ("- a list\n", 1, "file must be a mapping of keys to values"),
        ("stages: nope\n", 1, "'stages' must be a list of stages"),
        ("synonyms: [a, b]\n", 1, "'synonyms' must map a word to the list of its variants"),
    ],
)
def test_wrong_types(write_kb: WriteKb, text: str, line: int, message: str) -> None:
    files = minimal_kb_files()
    if text.startswith("stages"):
        files["topics.yaml"] = "topics:" + files["topics.yaml"].split("\ntopics:")[1]
    problem = only_problem(write_kb({**files, "zz-extra.yaml": text}))
    assert_at(problem, "zz-extra.yaml", line)
    assert problem.message == message


def test_title_must_be_text(write_kb: WriteKb) -> None:
    text = """\
        topics:
          - id: extra.topic
            title: [not, text]
            questions: [an extra question]
            answer: Extra answer.
        """
    problem = only_problem(with_extra(write_kb, text))
    assert_at(problem, "zz-extra.yaml", 3)
    assert problem.message == "topic 'extra.topic': 'title' must be text"


def test_duplicate_topic_id_names_first_location(write_kb: WriteKb) -> None:
    text = """\
        topics:
          - id: roles.alt
            title: Another ALT
            questions: [another alt question]
            answer: Another answer.
        """
    problem = only_problem(with_extra(write_kb, text))
    assert_at(problem, "zz-extra.yaml", 2)
    assert "duplicate topic id 'roles.alt'" in problem.message
    assert "topics.yaml:10" in problem.message


def test_duplicate_topic_id_in_one_file(write_kb: WriteKb) -> None:
    text = """\
        topics:
          - id: extra.topic
            title: Extra
            questions: [an extra question]
            answer: Extra answer.
          - id: extra.topic
            title: Extra again
            questions: [another extra question]
            answer: Extra answer.
        """
    problem = only_problem(with_extra(write_kb, text))
    assert_at(problem, "zz-extra.yaml", 6)
    assert "duplicate topic id 'extra.topic'" in problem.message
    assert "zz-extra.yaml:2" in problem.message


def test_duplicate_of_a_broken_topic_names_first_location(write_kb: WriteKb) -> None:
    """The first definition has its own problem (an empty answer), but still has a location."""
    text = """\
        topics:
          - id: extra.topic
            title: Extra
            questions: [an extra question]
            answer: ''
          - id: extra.topic
            title: Extra again
            questions: [another extra question]
            answer: Extra answer.
        """
    problems = check_knowledge(with_extra(write_kb, text))
    [duplicate] = [p for p in problems if "duplicate topic id" in p.message]
    assert_at(duplicate, "zz-extra.yaml", 6)
    assert "zz-extra.yaml:2" in duplicate.message


@pytest.mark.parametrize("topic_id", ["Extra.Topic", "extra topic", "extra..topic", "x" * 61])
def test_bad_topic_id(write_kb: WriteKb, topic_id: str) -> None:
    text = f"""\
        topics:
          - id: "{topic_id}"
            title: Extra
            questions: [an extra question]
            answer: Extra answer.
        """
    problem = only_problem(with_extra(write_kb, text))
    assert_at(problem, "zz-extra.yaml", 2)
    assert f"topic id '{topic_id}' must be lowercase" in problem.message


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "topics:\n  - id: extra.topic\n    title: Extra\n    questions: [an extra question]\n"
            "    answer: Extra answer.\n    title: Extra again\n",
            6,
            "topic 'extra.topic': key 'title' appears twice",
        ),
        ("topics: []\nsynonyms: {}\ntopics: []\n", 3, "file: key 'topics' appears twice"),
        (
            "messages:\n  welcome: Hi\n  welcome: Hello\n  fallback: Sorry\n",
            3,
            "messages: key 'welcome' appears twice",
        ),
        (
            "topics:\n  - id: extra.topic\n    title: Extra\n    questions: [an extra question]\n"
            "    answer: Extra answer.\n    links:\n      - title: Site\n        url: http://a.b\n"
            "        url: http://c.d\n",
            9,
            "key 'url' appears twice",
        ),
        (
            "synonyms:\n  teacher:\n    - instructor\n  teacher:\n    - educator\n",
            4,
            "'teacher' appears twice",
        ),
    ],
    ids=["topic", "file", "messages", "link", "synonyms"],
)
def test_duplicate_key_in_one_mapping(
    write_kb: WriteKb, text: str, line: int, message: str
) -> None:
    files = minimal_kb_files()
    if text.startswith("messages"):
        del files["messages.yaml"]
    problem = only_problem(write_kb({**files, "zz-extra.yaml": text}))
    assert_at(problem, "zz-extra.yaml", line)
    assert message in problem.message


def test_duplicate_top_level_key(write_kb: WriteKb) -> None:
    text = "topics: []\nsynonyms: {}\ntopics: []\n"
    problem = only_problem(with_extra(write_kb, text))
    assert_at(problem, "zz-extra.yaml", 3)
    assert problem.message == "file: key 'topics' appears twice"


def test_duplicate_message(write_kb: WriteKb) -> None:
    problem = only_problem(with_extra(write_kb, "messages:\n  welcome: Hello again\n"))
    assert_at(problem, "zz-extra.yaml", 2)
    assert "message 'welcome' already defined at" in problem.message
    assert "messages.yaml:2" in problem.message


def test_related_to_missing_topic(write_kb: WriteKb) -> None:
    text = """\
        topics:
          - id: extra.topic
            title: Extra
            questions: [an extra question]
            answer: Extra answer.
            related:
              - roles.alt
              - roles.clr
        """
    problem = only_problem(with_extra(write_kb, text))
    assert_at(problem, "zz-extra.yaml", 8)
    assert "topic 'extra.topic': related topic 'roles.clr' does not exist" in problem.message
    assert "did you mean 'roles.cir'?" in problem.message


def test_related_to_itself(write_kb: WriteKb) -> None:
    text = """\
        topics:
          - id: extra.topic
            title: Extra
            questions: [an extra question]
            answer: Extra answer.
            related: [extra.topic]
        """
    problem = only_problem(with_extra(write_kb, text))
    assert_at(problem, "zz-extra.yaml", 6)
    assert problem.message == "topic 'extra.topic': 'related' lists the topic itself"


def test_related_may_point_forward_to_a_later_file(write_kb: WriteKb) -> None:
    text = """\
        topics:
          - id: aaa.first
            title: First
            questions: [the first question]
            answer: First answer.
            related: [zzz.last]
        """
    last = """\
        topics:
          - id: zzz.last
            title: Last
            questions: [the last question]
            answer: Last answer.
        """
    directory = write_kb({**minimal_kb_files(), "aaa.yaml": text, "zzz.yaml": last})
    assert check_knowledge(directory) == []


@pytest.mark.parametrize(
    ("length", "ok"), [(MAX_ANSWER_LENGTH, True), (MAX_ANSWER_LENGTH + 1, False)]
)
def test_answer_length_limit(write_kb: WriteKb, length: int, ok: bool) -> None:
    text = f"""\
        topics:
          - id: extra.topic
            title: Extra
            questions: [an extra question]
            answer: {"a" * length}
        """
    problems = check_knowledge(with_extra(write_kb, text))
    if ok:
        assert problems == []
    else:
        assert len(problems) == 1
        assert_at(problems[0], "zz-extra.yaml", 5)
        assert f"answer is {length} characters" in problems[0].message
        assert "4096" in problems[0].message


@pytest.mark.parametrize(
    "phrasing", ["what is an alt", "What is an ALT?", "  what IS an... alt!! ", "what-is-an-alt"]
)
def test_same_phrasing_under_two_topics(write_kb: WriteKb, phrasing: str) -> None:
    text = f"""\
        topics:
          - id: extra.topic
            title: Extra
            questions:
              - an extra question
              - "{phrasing}"
            answer: Extra answer.
        """
    problem = only_problem(with_extra(write_kb, text))
    assert_at(problem, "zz-extra.yaml", 6)
    assert "also under topic 'roles.alt'" in problem.message
    assert "topics.yaml:13" in problem.message


def test_same_phrasing_twice_in_one_topic(write_kb: WriteKb) -> None:
    text = """\
        topics:
          - id: extra.topic
            title: Extra
            questions:
              - an extra question
              - An extra question?
            answer: Extra answer.
        """
    problem = only_problem(with_extra(write_kb, text))
    assert_at(problem, "zz-extra.yaml", 6)
    assert "twice in this topic" in problem.message


def test_stage_pointing_to_missing_topic(write_kb: WriteKb) -> None:
    files = minimal_kb_files()
    files["topics.yaml"] = files["topics.yaml"].replace(
        "topic: steps.interview", "topic: steps.intervew"
    )
    problem = only_problem(write_kb(files))
    assert_at(problem, "topics.yaml", 7)
    assert "stage 'interview': topic 'steps.intervew' does not exist" in problem.message
    assert "did you mean 'steps.interview'?" in problem.message


def test_duplicate_stage_id(write_kb: WriteKb) -> None:
    files = minimal_kb_files()
    files["topics.yaml"] = files["topics.yaml"].replace("- id: interview", "- id: apply")
    problem = only_problem(write_kb(files))
    assert_at(problem, "topics.yaml", 5)
    assert problem.message == "duplicate stage id 'apply'"


def test_stages_defined_in_two_files(write_kb: WriteKb) -> None:
    text = """\
        stages:
          - id: results
            title: Results
            topic: steps.apply
        """
    problem = only_problem(with_extra(write_kb, text))
    assert_at(problem, "zz-extra.yaml", 1)
    assert "'stages' already defined at" in problem.message
    assert "topics.yaml:1" in problem.message


def test_stage_missing_field(write_kb: WriteKb) -> None:
    files = minimal_kb_files()
    files["topics.yaml"] = files["topics.yaml"].replace("    topic: steps.interview\n", "")
    problem = only_problem(write_kb(files))
    assert_at(problem, "topics.yaml", 5)
    assert problem.message == "stage: missing required field 'topic'"


@pytest.mark.parametrize("url", ["www.example.org", "ftp://example.org", "https://exa mple.org"])
def test_bad_link_url(write_kb: WriteKb, url: str) -> None:
    text = f"""\
        topics:
          - id: extra.topic
            title: Extra
            questions: [an extra question]
            answer: Extra answer.
            links:
              - title: A link
                url: "{url}"
        """
    problem = only_problem(with_extra(write_kb, text))
    assert_at(problem, "zz-extra.yaml", 8)
    assert f"link url '{url}' must start with http" in problem.message


def test_link_missing_url(write_kb: WriteKb) -> None:
    text = """\
        topics:
          - id: extra.topic
            title: Extra
            questions: [an extra question]
            answer: Extra answer.
            links:
              - title: A link
        """
    problem = only_problem(with_extra(write_kb, text))
    assert_at(problem, "zz-extra.yaml", 7)
    assert "link is missing 'url'" in problem.message


@pytest.mark.parametrize("missing", ["welcome", "fallback"])
def test_missing_message(write_kb: WriteKb, missing: str) -> None:
    files = minimal_kb_files()
    files["messages.yaml"] = "\n".join(
        line for line in files["messages.yaml"].splitlines() if missing not in line
    )
    directory = write_kb(files)
    problem = only_problem(directory)
    assert problem.location.path == directory
    assert problem.message == f"no file defines the message '{missing}' under 'messages'"


def test_missing_messages_file(write_kb: WriteKb) -> None:
    files = minimal_kb_files()
    del files["messages.yaml"]
    problems = check_knowledge(write_kb(files))
    assert sorted(p.message for p in problems) == [
        "no file defines the message 'fallback' under 'messages'",
        "no file defines the message 'welcome' under 'messages'",
    ]


def test_unknown_message_key(write_kb: WriteKb) -> None:
    problem = only_problem(with_extra(write_kb, "messages:\n  welcom: Hi\n"))
    assert_at(problem, "zz-extra.yaml", 2)
    assert "unknown key 'welcom'" in problem.message
    assert "did you mean 'welcome'?" in problem.message


def test_synonym_variant_under_two_words(write_kb: WriteKb) -> None:
    text = """\
        synonyms:
          teacher:
            - instructor
            - Assistant Language Teacher
        """
    problem = only_problem(with_extra(write_kb, text))
    assert_at(problem, "zz-extra.yaml", 4)
    assert "variant 'assistant language teacher' is listed under 'alt' too" in problem.message
    assert "synonyms.yaml:3" in problem.message


def test_synonym_must_be_one_word(write_kb: WriteKb) -> None:
    problem = only_problem(with_extra(write_kb, "synonyms:\n  two words:\n    - pair\n"))
    assert_at(problem, "zz-extra.yaml", 2)
    assert problem.message == "synonym 'two words' must be a single word"


def test_empty_directory(tmp_path: Path) -> None:
    problems = check_knowledge(tmp_path)
    assert problems[0].location.path == tmp_path
    assert problems[0].message == "no .yaml files in knowledge directory"


def test_missing_directory(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(KnowledgeBaseError) as excinfo:
        load_knowledge(missing)
    [problem] = excinfo.value.problems
    assert problem.location.path == missing
    assert problem.message == "knowledge directory not found"
    assert str(missing) in str(excinfo.value)


def test_empty_yaml_file_is_ignored(write_kb: WriteKb) -> None:
    assert check_knowledge(with_extra(write_kb, "# nothing here yet\n")) == []


def test_several_errors_in_several_files_are_all_reported(write_kb: WriteKb) -> None:
    first = """\
        topics:
          - id: first.topic
            title: First
            questions: [a first question]
            anwser: Typo.
        """
    second = """\
        topics:
          - id: second.topic
            title: Second
            questions: not a list
            answer: Second answer.
            related: [no.such.topic]
        """
    third = "synonyms:\n  alt: [\n"
    directory = write_kb(
        {**minimal_kb_files(), "first.yaml": first, "second.yaml": second, "third.yaml": third}
    )
    with pytest.raises(KnowledgeBaseError) as excinfo:
        load_knowledge(directory)
    found = {(p.location.path.name, p.location.line) for p in excinfo.value.problems}
    assert {("first.yaml", 2), ("first.yaml", 5), ("second.yaml", 4)} <= found
    assert any(name == "third.yaml" for name, _ in found)
    messages = str(excinfo.value)
    assert "unknown key 'anwser'" in messages
    assert "missing required field 'answer'" in messages
    assert "'questions' must be a list" in messages
    assert "YAML syntax error" in messages
    assert len(excinfo.value.problems) == len(str(excinfo.value).splitlines())


# -- the shipped knowledge base ------------------------------------------------


def test_shipped_kb_has_no_problems() -> None:
    assert [str(p) for p in check_knowledge(BUNDLED_KNOWLEDGE)] == []


def test_shipped_kb_topics(shipped_kb: KnowledgeBase) -> None:
    ids = set(shipped_kb.topics)
    assert ids >= SHIPPED_TOPICS
    assert all(topic_id.startswith("smalltalk.") for topic_id in ids - SHIPPED_TOPICS)


def test_shipped_kb_stages(shipped_kb: KnowledgeBase) -> None:
    assert [stage.id for stage in shipped_kb.stages] == SHIPPED_STAGES
    for stage in shipped_kb.stages:
        assert stage.topic.startswith("selection.")
        assert stage.topic in shipped_kb.topics
        assert stage.title


def test_shipped_kb_answers_fit_a_message(shipped_kb: KnowledgeBase) -> None:
    for topic in shipped_kb.topics.values():
        assert 0 < len(topic.answer) <= MAX_ANSWER_LENGTH, topic.id


def test_shipped_kb_links_are_the_official_site(shipped_kb: KnowledgeBase) -> None:
    urls = {link.url for topic in shipped_kb.topics.values() for link in topic.links}
    assert urls == {OFFICIAL_URL}


def test_shipped_kb_answers_mention_only_the_official_url(shipped_kb: KnowledgeBase) -> None:
    texts = [t.answer for t in shipped_kb.topics.values()] + list(shipped_kb.messages.values())
    urls = {url.rstrip(".,)") for text in texts for url in re.findall(r"https?://\S+", text)}
    assert urls <= {OFFICIAL_URL}


def test_shipped_kb_related_topics_exist(shipped_kb: KnowledgeBase) -> None:
    for topic in shipped_kb.topics.values():
        assert set(topic.related) <= set(shipped_kb.topics), topic.id
        assert topic.questions, topic.id


def test_shipped_kb_messages(shipped_kb: KnowledgeBase) -> None:
    assert shipped_kb.welcome
    assert shipped_kb.fallback
