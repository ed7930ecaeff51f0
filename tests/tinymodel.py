"""Build a tiny but real Argos Translate package (zh→en) for tests and benchmarks.

The package has the same layout as the ones on the Argos index — a zip holding one
directory with ``metadata.json``, a SentencePiece model ``sentencepiece.model`` and a
CTranslate2 model directory ``model/`` — so the engine's real loading, tokenising,
batching and decoding code runs on it. The Transformer is randomly initialised
(built straight from ``ctranslate2.specs``, no torch), so its English is gibberish:
tests assert structure, never quality.

Why an EOS bias: a random decoder almost never picks ``</s>`` and would run every
sentence to ``max_decoding_length``. A bias on the EOS logit makes outputs end after
a length comparable to real translations, so timings resemble real work.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "seed_gold.md"

# A little English so the shared vocabulary holds Latin pieces too.
ENGLISH = """\
The government work report reviews the work of the past year and sets the main targets.
Gross regional product reached RMB 13.746 billion, an increase of 8.4 percent.
We will promote high-quality development and rural revitalization.
Foreign trade reached USD 31.41 million and tourism received 17.1069 million visits.
The county planted 781,300 mu of grain and produced 660,700 tonnes.
We will deepen reform, expand opening up and improve people's wellbeing.
Employment, education, health care and social security were strengthened.
The ecological environment improved and the forest coverage rate reached 15.18 percent.
"""


def _corpus_lines() -> list[str]:
    lines = [ln.strip().lstrip("#").strip() for ln in SAMPLE.read_text("utf-8").splitlines()]
    lines = [ln for ln in lines if ln]
    return lines + ENGLISH.splitlines() * 3


def train_sentencepiece(vocab_size: int = 2000) -> bytes:
    """Train a SentencePiece unigram model in-process on the sample; return its bytes."""
    import sentencepiece as spm

    out = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(_corpus_lines()),
        model_writer=out,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        minloglevel=2,
        num_threads=2,
    )
    return out.getvalue()


def build_ct2_model(
    out_dir: Path,
    vocab: list[str],
    *,
    d_model: int = 64,
    ffn: int = 128,
    layers: int = 2,
    heads: int = 4,
    seed: int = 0,
    eos_bias: float | None = None,
) -> None:
    """Save a randomly initialised Transformer (pre-norm, shared vocab) to ``out_dir``."""
    import numpy as np
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(seed)
    v = len(vocab)

    def mat(rows: int, cols: int) -> np.ndarray:
        return (rng.standard_normal((rows, cols)) / np.sqrt(cols)).astype(np.float32)

    def vec(n: int, value: float = 0.0) -> np.ndarray:
        return np.full((n,), value, dtype=np.float32)

    def norm(spec) -> None:
        spec.gamma = vec(d_model, 1.0)
        spec.beta = vec(d_model)

    def linear(spec, rows: int, cols: int) -> None:
        spec.weight = mat(rows, cols)
        spec.bias = vec(rows)

    def ffn_layer(spec) -> None:
        norm(spec.layer_norm)
        linear(spec.linear_0, ffn, d_model)
        linear(spec.linear_1, d_model, ffn)

    spec = transformer_spec.TransformerSpec.from_config(num_layers=layers, num_heads=heads)
    enc, dec = spec.encoder, spec.decoder
    enc.embeddings[0].weight = mat(v, d_model)
    dec.embeddings.weight = mat(v, d_model)
    norm(enc.layer_norm)
    norm(dec.layer_norm)
    for layer in enc.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d_model, d_model)  # fused q, k, v
        linear(layer.self_attention.linear[1], d_model, d_model)
        ffn_layer(layer.ffn)
    for layer in dec.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d_model, d_model)
        linear(layer.self_attention.linear[1], d_model, d_model)
        norm(layer.attention.layer_norm)
        linear(layer.attention.linear[0], d_model, d_model)  # query
        linear(layer.attention.linear[1], 2 * d_model, d_model)  # fused k, v
        linear(layer.attention.linear[2], d_model, d_model)
        ffn_layer(layer.ffn)
    dec.projection.weight = mat(v, d_model)
    bias = vec(v)
    # Logits are ~N(0, 1) per token; the max over v tokens sits near sqrt(2 ln v) ≈ 3.9.
    # Measured with Argos's decoding options (beam 4, length penalty 0.2) on the sample's
    # sentences (32 tokens on average): bias 1.9 gives ~46 output tokens on average,
    # about what a real zh→en model produces; 1.5 runs away, 2.2 stops after 1–3 tokens.
    bias[vocab.index("</s>")] = 1.9 if eos_bias is None else eos_bias
    dec.projection.bias = bias

    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize(quantization="int8")  # what real Argos packages ship: small and fast
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    spec.save(str(out_dir))


def build_package(
    dest: Path,
    *,
    name: str = "translate-zh_en-tiny",
    package_version: str = "0.0.1",
    vocab_size: int = 2000,
    **model_kwargs,
) -> Path:
    """Write ``dest/<name>.argosmodel`` and return its path."""
    import tempfile

    import sentencepiece as spm

    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    sp_bytes = train_sentencepiece(vocab_size)
    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    metadata = {
        "package_version": package_version,
        "argos_version": "1.9",
        "from_code": "zh",
        "from_name": "Chinese",
        "to_code": "en",
        "to_name": "English",
        "type": "translate",
        "links": [],
    }
    out = dest / f"{name}.argosmodel"
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = Path(tmp) / "model"
        build_ct2_model(model_dir, vocab, **model_kwargs)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(f"{name}/metadata.json", json.dumps(metadata, indent=2))
            zf.writestr(f"{name}/sentencepiece.model", sp_bytes)
            zf.writestr(f"{name}/README.md", "Tiny random zh→en model for xyconvert tests.\n")
            for f in sorted(model_dir.iterdir()):
                zf.write(f, f"{name}/model/{f.name}")
    return out


if __name__ == "__main__":  # pragma: no cover - manual use
    import sys

    print(build_package(Path(sys.argv[1] if len(sys.argv) > 1 else ".")))
