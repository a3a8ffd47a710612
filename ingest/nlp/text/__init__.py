"""Text stage: what every later stage reads the article through.

`lang` (English or Chinese), `sentences` (sentence spans, both languages), and for Chinese `zh_text`
(offset-keeping folding: Traditional -> Simplified with `zh_t2s`, full-width -> ASCII; sentences,
clauses) and `zh_seg` (jieba segmentation fed the catalog's names).
"""
