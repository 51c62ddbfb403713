"""Instruction-tuned decoder LLMs (Qwen2, Llama, Mistral, ...) through `ctranslate2.Generator`.

A converted folder (`ct2-transformers-converter --model Qwen/Qwen2.5-1.5B-Instruct --quantization
int8 --copy_files tokenizer.json tokenizer_config.json generation_config.json`) holds
``model.bin``, ``config.json``, ``vocabulary.json``, the model's own tokenizer
(``tokenizer.json``, read with the `tokenizers` library) and ``tokenizer_config.json``, whose
Jinja ``chat_template`` turns the instructions and the text into the prompt the model was tuned
on (rendered in a sandbox, as `transformers` does).

The engine translates a paragraph at a time, with the article's title and the paragraph before
as context (`give_context`: it keeps names and terms consistent; it is not translated). Its
instructions list the Latin-script names and
terms of the paragraph (with `inline`, the pipeline writes glossary renderings into the Chinese),
and the pipeline still checks that each came back verbatim and translates around a lost one.
Alternatives are the best answer and samples around it (top-20, temperature 0.8).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bilingual.engines.base import Result
from bilingual.engines.converted import ConvertedModel
from bilingual.engines.seq2seq import Settings, open_model
from bilingual.errors import EngineError
from bilingual.models.converted import FAMILIES

SYSTEM = (
    "You are a professional news translator. Translate the Chinese text the user gives you "
    "into fluent, accurate English as an English-language newspaper would write it. Answer "
    "with the English translation only: no notes, no quotation marks around it, no Chinese."
)
NAMES = "Keep each of these names and terms exactly as written, letter for letter: {names}."
CONTEXT_RULE = (
    "The text may come after some context from the same article (its title and the paragraph "
    "before), for names and terms to stay consistent: translate only the text, never the context."
)
CONTEXT_LEAD = "Context (do not translate):"
TEXT_LEAD = "Text to translate:"
PLACEHOLDERS = "Keep every token of the form QZ0, QZ1, ... exactly as it is, where it belongs."
#: Used when the model folder has no chat template: ChatML, what Qwen2 and many others use.
CHATML = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
_L = "A-Za-z0-9\u00c0-\u024f"  # Latin letters (accented too) and digits
_LATIN = re.compile(f"[{_L}][{_L}.&+'’/_-]*(?:[ ]+[{_L}][{_L}.&+'’/_-]*)*")
_PLACEHOLDER = re.compile(r"QZ\d+")
_SAMPLE_SEED = 1234


def latin_terms(text: str) -> list[str]:
    """The Latin-script runs of a Chinese text (names and glossary renderings), in order."""
    found = [m.group(0).strip(".,;:'’-/") for m in _LATIN.finditer(text)]
    terms = [t for t in found if re.search("[A-Za-z]", t) and not _PLACEHOLDER.fullmatch(t)]
    return list(dict.fromkeys(terms))


def _token_text(value: Any) -> str:
    """A special token as tokenizer_config.json writes it: a string or {"content": ...}."""
    if isinstance(value, dict):
        return str(value.get("content", ""))
    return str(value) if isinstance(value, str) else ""


class LlmEngine(ConvertedModel):
    name = "llm"
    family = "Instruction LLM"
    unit = "paragraph"
    # Told the names, an LLM writes them as they are; placeholders only confuse it.
    name_strategies = ("inline", "pieces")
    required_files = FAMILIES["llm"].required
    batch_size = 8

    def __init__(self, path: str | Path, settings: Settings | None = None) -> None:
        super().__init__(path, settings)
        self._generator: Any = None
        self._tokenizer: Any = None
        self._template: Any = None
        self._config: dict[str, Any] = {}
        self._end_tokens: list[str] = []
        self._context: dict[str, str] = {}

    def signature(self) -> dict[str, Any]:
        # The instructions are part of what makes the output.
        return {**super().signature(), "prompt": 1}

    # Loading --------------------------------------------------------------------------------
    def _load(self) -> None:
        if self._generator is not None:
            return
        import ctranslate2

        try:
            from tokenizers import Tokenizer
        except ImportError:
            raise EngineError(
                "the llm engine needs the `tokenizers` and `jinja2` packages: "
                "pip install 'bilingual[llm]'"
            ) from None
        tokenizer_file = self.path / "tokenizer.json"
        if not tokenizer_file.is_file():
            raise EngineError(f"{self.path}: no tokenizer.json (not a complete model folder)")
        try:
            self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        except Exception as exc:  # the Rust library raises its own exception type
            raise EngineError(f"{tokenizer_file}: unreadable tokenizer ({exc})") from None
        self._config = self._read_json("tokenizer_config.json")
        self._template = self._compile(str(self._config.get("chat_template") or CHATML))
        self._end_tokens = self._find_end_tokens()
        ctranslate2.set_random_seed(_SAMPLE_SEED)  # a process's samples: the same each run
        self._generator = open_model("Generator", self.path, self.settings, self.path)
        self.loads += 1

    def _read_json(self, name: str) -> dict[str, Any]:
        with contextlib.suppress(OSError, ValueError):
            data = json.loads((self.path / name).read_text(encoding="utf-8"))
            if isinstance(data, dict):
                return data
        return {}

    def _compile(self, source: str) -> Any:
        try:
            from jinja2 import TemplateError
            from jinja2.sandbox import ImmutableSandboxedEnvironment
        except ImportError:
            raise EngineError(
                "the llm engine needs the `jinja2` package for the model's chat template: "
                "pip install 'bilingual[llm]'"
            ) from None

        def raise_exception(message: str) -> None:
            raise TemplateError(message)

        env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
        env.globals["raise_exception"] = raise_exception
        try:
            return env.from_string(source)
        except TemplateError as exc:
            raise EngineError(f"{self.path}: the chat template does not compile ({exc})") from None

    def _find_end_tokens(self) -> list[str]:
        """The tokens that end the model's answer: the config's eos, generation_config's ids,
        and the chat format's end-of-turn markers the vocabulary has."""
        ends = [_token_text(self._config.get("eos_token"))]
        generation = self._read_json("generation_config.json")
        ids = generation.get("eos_token_id")
        for i in ids if isinstance(ids, list) else [ids]:
            if isinstance(i, int):
                ends.append(self._tokenizer.id_to_token(i) or "")
        for marker in ("<|im_end|>", "<|eot_id|>", "<end_of_turn>", "</s>", "<|endoftext|>"):
            if self._tokenizer.token_to_id(marker) is not None:
                ends.append(marker)
        found = [t for t in dict.fromkeys(ends) if t]
        if not found:
            raise EngineError(f"{self.path}: the tokenizer names no end-of-answer token")
        return found

    @property
    def loaded(self) -> bool:
        return self._generator is not None

    # Prompting ------------------------------------------------------------------------------
    def instructions(self, text: str) -> str:
        parts = [SYSTEM]
        terms = latin_terms(text)
        if terms:
            parts.append(NAMES.format(names="; ".join(terms)))
        if _PLACEHOLDER.search(text):
            parts.append(PLACEHOLDERS)
        return " ".join(parts)

    def give_context(self, context: Mapping[str, str]) -> None:
        self._context.update(context)

    def user_message(self, text: str) -> str:
        """The text, after its context (the title and the paragraph before) when there is one."""
        context = self._context.get(text, "").strip()
        if not context:
            return text
        return f"{CONTEXT_LEAD}\n{context}\n\n{TEXT_LEAD}\n{text}"

    def prompt(self, text: str) -> str:
        system = self.instructions(text)
        if self._context.get(text, "").strip():
            system += " " + CONTEXT_RULE
        user = self.user_message(text)
        from jinja2 import TemplateError

        values = {
            "add_generation_prompt": True,
            "bos_token": _token_text(self._config.get("bos_token")),
            "eos_token": _token_text(self._config.get("eos_token")),
        }
        try:
            return str(
                self._template.render(
                    messages=[
                        {"role": "system", "content": system},
                        {"role": "user", "content": user},
                    ],
                    **values,
                )
            )
        except TemplateError:
            # Some templates (Gemma's) refuse a system turn: the instructions go first instead.
            try:
                return str(
                    self._template.render(
                        messages=[{"role": "user", "content": f"{system}\n\n{user}"}], **values
                    )
                )
            except TemplateError as exc:
                raise EngineError(f"{self.path}: the chat template fails ({exc})") from None

    def encode(self, text: str) -> list[str]:
        self._load()
        tokens: list[str] = self._tokenizer.encode(
            self.prompt(text), add_special_tokens=False
        ).tokens
        return tokens

    # Generation -----------------------------------------------------------------------------
    def _bound(self, text: str) -> int:
        # English runs about 3x the characters of Chinese; tokens about 4 characters.
        return min(self.settings.decoding_cap * 2, 32 + len(text) * 2)

    def _generate(self, texts: Sequence[str], n: int, sample: bool) -> list[list[Result]]:
        prompts = [self.encode(t) for t in texts]
        s = self.settings
        options: dict[str, Any] = {
            "max_length": max(self._bound(t) for t in texts),
            "include_prompt_in_result": False,
            "end_token": self._end_tokens,
            "return_scores": True,
            "num_hypotheses": n,
            "repetition_penalty": 1.05,
            "length_penalty": 1.0,
        }
        if sample:
            options.update(sampling_topk=20, sampling_temperature=0.8, beam_size=1)
        else:
            options.update(beam_size=max(s.beam, n))
        try:
            outputs = self._generator.generate_batch(prompts, **options)
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"translation failed: {exc}") from None
        results = []
        for out in outputs:
            hyps = []
            for k, ids in enumerate(out.sequences_ids):
                text = self._clean(self._tokenizer.decode(list(ids), skip_special_tokens=True))
                # CTranslate2 divides the sum by length**length_penalty (1.0): per token.
                score = float(out.scores[k]) if out.scores and k < len(out.scores) else None
                hyps.append(Result(text, score))
            results.append(hyps)
        return results

    @staticmethod
    def _clean(text: str) -> str:
        text = text.strip()
        for mark in ("English translation:", "Translation:", "English:"):
            if text.startswith(mark):
                text = text[len(mark) :].strip()
        return " ".join(text.split())

    def translate_batch(self, segments: list[str]) -> list[Result]:
        self._load()
        out: list[Result] = [Result("", 0.0)] * len(segments)
        todo = [i for i, s in enumerate(segments) if s.strip()]
        if todo:
            for i, hyps in zip(
                todo, self._generate([segments[i] for i in todo], 1, False), strict=True
            ):
                out[i] = hyps[0]
        return out

    def alternatives(self, segment: str, n: int = 4) -> list[Result]:
        if not segment.strip():
            return [Result("")]
        self._load()
        best = self._generate([segment], 1, False)[0][0]
        found: dict[str, Result] = {best.text: best}
        for r in self._generate([segment], max(1, n - 1), True)[0]:
            found.setdefault(r.text, r)
        return list(found.values())[:n]
