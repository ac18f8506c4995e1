//! Token counts for context budgets.
//!
//! Replies are held to budgets with a fast estimate made to err on the high side of what the
//! o200k and cl100k tokenizers count: words are split the way those tokenizers pre-split text,
//! each run of letters costs one token per five characters (rounded up), digits one per three,
//! every punctuation mark one, and every non-ASCII character one per UTF-8 byte beyond the
//! first. A test checks the estimate against the real o200k tokenizer over the whole embedded
//! skill, so that a reply held to `max_tokens` by this count is within it by the real one.

/// An upper-leaning estimate of the number of tokens in `text`.
pub fn estimate(text: &str) -> usize {
    let mut tokens = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_alphabetic() {
            let mut len: usize = 1;
            while chars.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
                chars.next();
                len += 1;
            }
            tokens += len.div_ceil(5);
        } else if c.is_ascii_digit() {
            let mut len: usize = 1;
            while chars.peek().is_some_and(|c| c.is_ascii_digit()) {
                chars.next();
                len += 1;
            }
            tokens += len.div_ceil(3);
        } else if c == '\n' {
            while chars.peek() == Some(&'\n') {
                chars.next();
            }
            tokens += 1;
        } else if c.is_ascii_whitespace() {
            // A single space joins the next word's token; longer runs cost one.
            let mut len: usize = 1;
            while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t') {
                chars.next();
                len += 1;
            }
            if len > 1 {
                tokens += 1;
            }
        } else if c.is_ascii() {
            tokens += 1;
        } else {
            tokens += c.len_utf8().saturating_sub(1).max(1);
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words_digits_and_marks() {
        assert_eq!(estimate(""), 0);
        assert_eq!(estimate("the lag"), 2);
        assert_eq!(estimate("idempotence"), 3);
        assert_eq!(estimate("1000000"), 3);
        assert_eq!(estimate("a, b."), 4);
        assert_eq!(estimate("é"), 1);
    }
}
