"""Topics, links, messages and synonyms."""

from __future__ import annotations

import re

import yaml

from bot.knowledge.model import Link, Location, Topic, normalise_phrasing
from bot.knowledge.nodes import NodeReader, peek_id

TOPIC_ID = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$")
# Topic ids travel in Telegram callback data, which holds 64 bytes with its prefix.
MAX_TOPIC_ID_LENGTH = 56
MAX_ANSWER_LENGTH = 4096
TOPIC_KEYS = ("id", "title", "questions", "answer", "keywords", "related", "links")
TOPIC_REQUIRED = ("id", "title", "questions", "answer")
LINK_KEYS = ("title", "url")
MESSAGE_KEYS = ("welcome", "fallback")


class TopicReader(NodeReader):
    def __init__(self) -> None:
        super().__init__()
        self.topics: dict[str, Topic] = {}
        self.messages: dict[str, str] = {}
        self.message_locations: dict[str, Location] = {}
        self.synonyms: dict[str, tuple[str, ...]] = {}
        self.synonym_owner: dict[str, tuple[str, Location]] = {}
        self.phrasings: dict[str, tuple[str, Location]] = {}
        self.related: list[tuple[str, str, Location]] = []
        # Topics with an error of their own: known to exist, so not reported again as missing.
        self.broken_topics: dict[str, Location] = {}

    def load_topics(self, key_node: yaml.Node, node: yaml.Node) -> None:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(key_node, "'topics' must be a list of topics")
            return
        for item in node.value:
            self.load_topic(item)

    def load_topic(self, node: yaml.Node) -> None:
        ident = peek_id(node)
        entries = self.mapping(node, f"topic '{ident}'" if ident else "topic", TOPIC_KEYS)
        if entries is None:
            return
        topic_id = self.text(*entries["id"], "topic id") if "id" in entries else None
        what = f"topic '{topic_id or '?'}'"
        for key in TOPIC_REQUIRED:
            if key not in entries:
                self.problem(node, f"{what}: missing required field '{key}'")
        title = self.text(*entries["title"], f"{what}: 'title'") if "title" in entries else None
        answer = (
            self.text(*entries["answer"], f"{what}: 'answer'") if "answer" in entries else None
        )
        questions = self.listed(entries, "questions", what)
        keywords = self.listed(entries, "keywords", what)
        related = self.listed(entries, "related", what)
        links = self.links(*entries["links"], what) if "links" in entries else []
        if answer is not None and len(answer) > MAX_ANSWER_LENGTH:
            self.problem(
                entries["answer"][0],
                f"{what}: answer is {len(answer)} characters, over Telegram's limit of "
                f"{MAX_ANSWER_LENGTH}",
            )
        if topic_id is None:
            return
        if not TOPIC_ID.match(topic_id) or len(topic_id) > MAX_TOPIC_ID_LENGTH:
            self.problem(
                entries["id"][0],
                f"topic id '{topic_id}' must be lowercase words joined by dots, like "
                f"'positions.alt', at most {MAX_TOPIC_ID_LENGTH} characters",
            )
            return
        if topic_id in self.topics or topic_id in self.broken_topics:
            topic = self.topics.get(topic_id)
            first = topic.location if topic else self.broken_topics[topic_id]
            self.problem(node, f"duplicate topic id '{topic_id}' (first defined at {first})")
            return
        for question, q_node in questions:
            self.claim_phrasing(question, topic_id, self.where(q_node))
        for target, r_node in related:
            self.related.append((topic_id, target, self.where(r_node)))
        if title is None or answer is None or not questions:
            self.broken_topics[topic_id] = self.where(node)
            return
        self.topics[topic_id] = Topic(
            id=topic_id,
            title=title,
            questions=tuple(q for q, _ in questions),
            answer=answer,
            keywords=tuple(k for k, _ in keywords),
            related=tuple(r for r, _ in related),
            links=tuple(links),
            location=self.where(node),
        )

    def listed(
        self, entries: dict[str, tuple[yaml.Node, yaml.Node]], key: str, what: str
    ) -> list[tuple[str, yaml.Node]]:
        """A list-of-text field of a topic; an explicitly empty 'questions' is a problem."""
        if key not in entries:
            return []
        key_node, value_node = entries[key]
        items = self.text_list(key_node, value_node, f"{what}: '{key}'")
        if (
            key == "questions"
            and isinstance(value_node, yaml.SequenceNode)
            and not value_node.value
        ):
            self.problem(key_node, f"{what}: 'questions' is empty")
        return items

    def claim_phrasing(self, question: str, topic_id: str, location: Location) -> None:
        key = normalise_phrasing(question)
        if key in self.phrasings:
            owner, first = self.phrasings[key]
            where = "twice in this topic" if owner == topic_id else f"also under topic '{owner}'"
            self.problem_at(location, f"phrasing '{question}' appears {where} (at {first})")
        else:
            self.phrasings[key] = (topic_id, location)

    def links(self, key_node: yaml.Node, node: yaml.Node, what: str) -> list[Link]:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(key_node, f"{what}: 'links' must be a list of {{title, url}}")
            return []
        links = []
        for item in node.value:
            entries = self.mapping(item, f"{what}: link", LINK_KEYS)
            if entries is None:
                continue
            missing = [key for key in LINK_KEYS if key not in entries]
            if missing:
                self.problem(item, f"{what}: link is missing '{missing[0]}'")
                continue
            title = self.text(*entries["title"], f"{what}: link title")
            url = self.text(*entries["url"], f"{what}: link url")
            if url is not None and not re.match(r"^https?://\S+$", url):
                self.problem(entries["url"][0], f"{what}: link url '{url}' must start with http")
            elif title is not None and url is not None:
                links.append(Link(title, url))
        return links

    def load_messages(self, key_node: yaml.Node, node: yaml.Node) -> None:
        entries = self.mapping(node, "messages", MESSAGE_KEYS)
        for key, (k_node, v_node) in (entries or {}).items():
            if key in self.message_locations:
                self.problem(
                    k_node, f"message '{key}' already defined at {self.message_locations[key]}"
                )
                continue
            value = self.text(k_node, v_node, f"message '{key}'")
            if value is not None:
                self.messages[key] = value
                self.message_locations[key] = self.where(k_node)

    def load_synonyms(self, key_node: yaml.Node, node: yaml.Node) -> None:
        if not isinstance(node, yaml.MappingNode):
            self.problem(key_node, "'synonyms' must map a word to the list of its variants")
            return
        seen: set[str] = set()
        for k_node, v_node in node.value:
            word = normalise_phrasing(str(k_node.value))
            if word in seen:
                self.problem(k_node, f"synonyms: key '{word}' appears twice")
                continue
            seen.add(word)
            if not word or " " in word:
                self.problem(k_node, f"synonym '{k_node.value}' must be a single word")
                continue
            variants = []
            for variant, item in self.text_list(k_node, v_node, f"synonyms of '{word}'"):
                variant = normalise_phrasing(variant)
                owner = self.synonym_owner.get(variant)
                if owner is not None and owner[0] != word:
                    self.problem(
                        item,
                        f"variant '{variant}' is listed under '{owner[0]}' too (at {owner[1]})",
                    )
                    continue
                self.synonym_owner[variant] = (word, self.where(item))
                variants.append(variant)
            merged = dict.fromkeys((*self.synonyms.get(word, ()), *variants))
            self.synonyms[word] = tuple(merged)
