"""The Tokenizers lab's words: its examples and the "How they work" page.

From the lecture's LLM table (BERT: WordPiece, GPT-3: BPE, Llama 2: SentencePiece, with the
precision that Llama 2's is SentencePiece BPE, 32,000 tokens, with byte fallback) and the original
papers.
"""

from __future__ import annotations

#: One-click examples that show the classic differences (the empty state teaches).
EXAMPLES: tuple[tuple[str, str], ...] = (
    ("Lecture table", "BERT uses WordPiece, GPT-3 uses BPE and Llama 2 uses SentencePiece."),
    (
        "Long compound word",
        "Donaudampfschifffahrtsgesellschaftskapitän, antidisestablishmentarianism",
    ),
    ("Accented names", "Zoë Saldaña, Björk Guðmundsdóttir, José Müller and Nguyễn Thị Minh Khai"),
    ("Emoji", "I love it 😂👍 — a family 👩\u200d👩\u200d👧 on holiday in France 🇫🇷"),
    ("Chinese / Japanese", "我喜欢自然语言处理。東京は日本の首都です。"),
    ("Code", "def add(a, b):\n    # four spaces of indentation\n    return a + b\n"),
    ("175,000,000,000", "GPT-3 has 175,000,000,000 parameters."),
)

EXPLANATIONS_HTML = """
<h2>Three ways to cut a text</h2>
<p>The lecture's table says <b>BERT uses WordPiece, GPT-3 uses BPE and Llama 2 uses
SentencePiece</b>. All three learn a fixed vocabulary of <i>subwords</i> from a large text:
frequent words stay whole, rare words are spelled with several pieces, so no word is ever
out of vocabulary and the vocabulary stays small (tens of thousands of entries, not millions).</p>

<h3 style="color:#D55E00">Byte pair encoding (BPE) — GPT-2, GPT-3</h3>
<p><b>Learning:</b> start from single symbols; count every pair of neighbours in the training
text; merge the most frequent pair into a new symbol; repeat until the vocabulary has the
wanted size. The ordered list of merges <i>is</i> the tokenizer.
<b>Cutting a word:</b> split it into symbols and apply the merges in the order they were
learned (the <i>Merge replay</i> page steps through this).
GPT-2 runs BPE on <b>bytes</b> instead of characters: its 50,257 tokens are the 256 bytes,
50,000 merges and <code>&lt;|endoftext|&gt;</code>, so any text can be encoded and there is no
unknown token; a leading space is part of the token (shown here as ␣, in the vocabulary as
<code>Ġ</code>). GPT-3 uses the same tokenizer.<br>
<small>Sennrich, Haddow &amp; Birch (2016), <i>Neural Machine Translation of Rare Words with
Subword Units</i>, ACL; Radford et al. (2019), <i>Language Models are Unsupervised Multitask
Learners</i>.</small></p>

<h3 style="color:#0072B2">WordPiece — BERT</h3>
<p><b>Learning:</b> like BPE, grow the vocabulary one merge at a time, but pick the merge that
most increases the likelihood of the training text under a language model, not simply the most
frequent pair. <b>Cutting a word:</b> greedily take the longest vocabulary entry from the start
of the word, then the longest from where it stopped, and so on; pieces inside a word carry the
prefix <code>##</code>. If a word cannot be spelled at all (an emoji, a rare character), the
whole word becomes <code>[UNK]</code>. bert-base-uncased also lower-cases and strips accents
first, which is why "Zoë" and "zoe" look the same to it. Its vocabulary has 30,522 entries.<br>
<small>Schuster &amp; Nakajima (2012), <i>Japanese and Korean Voice Search</i>, ICASSP;
Wu et al. (2016), <i>Google's Neural Machine Translation System</i>; Devlin et al. (2019),
<i>BERT</i>.</small></p>

<h3 style="color:#009E73">SentencePiece — Llama 2</h3>
<p>SentencePiece is a library rather than one algorithm: it reads raw text without splitting it
into words first, treating the space as an ordinary symbol written <code>▁</code>, so the text
can be rebuilt exactly from its pieces and languages without spaces need no special handling.
It offers BPE and the <b>Unigram</b> language model (its default): start from a very large set
of candidate pieces, give each a probability, and repeatedly drop the pieces whose removal
lowers the likelihood of the text least; a word is cut into its most probable spelling.
<b>Llama 2</b> uses SentencePiece's <b>BPE</b> with 32,000 pieces, splits numbers into digits,
and falls back to bytes (<code>&lt;0xE2&gt;</code>) for characters outside its vocabulary
(the lecture table says only "SentencePiece"; the Llama 2 paper, §2.1, gives the details).<br>
<small>Kudo &amp; Richardson (2018), <i>SentencePiece: A simple and language independent subword
tokenizer and detokenizer for Neural Text Processing</i>, EMNLP; Kudo (2018), <i>Subword
Regularization</i>, ACL; Touvron et al. (2023), <i>Llama 2</i>.</small></p>

<h3>What the counts mean</h3>
<p><b>Characters per token</b>: how much text one token carries (higher is cheaper: a model's
context window and price are counted in tokens). <b>Tokens per word</b> (fertility): how many
pieces an average word needs; words are the runs between spaces, so Chinese and Japanese, written
without spaces, count a whole clause as one word. <b>Unknown</b>: tokens that lost the text
(<code>[UNK]</code>). <b>Byte pieces</b>: tokens that hold only some bytes of a character.</p>
"""
