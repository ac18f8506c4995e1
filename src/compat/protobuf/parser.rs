//! A small parser for `.proto` text (proto2, proto3 and editions files): just enough structure
//! for compatibility checks, with line:column positions on every error.
//!
//! Kept: `syntax`/`edition`, `package`, imports, messages (nested), fields with their label,
//! type, name and number, `map<K, V>` fields, `oneof` groups, proto2 `group` fields, enums
//! with their values, and `reserved` numbers, ranges and names. Skipped (parsed over, not
//! kept): options, field options in `[...]`, `extensions`, `extend` blocks and services.
//! Checked like protoc: field numbers in range and unique per message, no field using a
//! reserved number or name, no `required` in proto3, proto3 enums starting at zero.

use super::super::ParseFailure;

/// A parsed `.proto` file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ProtoFile {
    /// `proto2`, `proto3` or `editions` (a file without `syntax` is proto2).
    pub(crate) syntax: String,
    pub(crate) package: Option<String>,
    pub(crate) imports: Vec<String>,
    pub(crate) messages: Vec<Message>,
    pub(crate) enums: Vec<EnumDef>,
}

/// A message type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Message {
    pub(crate) name: String,
    /// Every field, `oneof` members included (they carry the oneof's name).
    pub(crate) fields: Vec<Field>,
    /// The names of the message's `oneof` groups, in order.
    pub(crate) oneofs: Vec<String>,
    pub(crate) messages: Vec<Message>,
    pub(crate) enums: Vec<EnumDef>,
    /// Reserved field numbers as inclusive ranges.
    pub(crate) reserved_numbers: Vec<(i64, i64)>,
    pub(crate) reserved_names: Vec<String>,
}

/// A field label as written; `None` when the field has none (proto3 singular, map, oneof).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "lowercase")]
pub(crate) enum Label {
    Optional,
    Required,
    Repeated,
}

impl Label {
    pub(crate) fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A field's type: a scalar or named type as written, or a map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FieldType {
    Named(String),
    Map(String, String),
}

impl std::fmt::Display for FieldType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FieldType::Named(n) => f.write_str(n),
            FieldType::Map(k, v) => write!(f, "map<{k}, {v}>"),
        }
    }
}

/// One field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    pub(crate) name: String,
    pub(crate) number: i64,
    pub(crate) label: Option<Label>,
    pub(crate) ty: FieldType,
    /// The `oneof` the field belongs to.
    pub(crate) oneof: Option<String>,
    pub(crate) line: usize,
    pub(crate) column: usize,
}

/// An enum type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct EnumDef {
    pub(crate) name: String,
    pub(crate) values: Vec<(String, i64)>,
}

/// The highest field number protobuf allows.
const MAX_FIELD_NUMBER: i64 = 536_870_911;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Int(i64),
    Float,
    Str(String),
    Sym(char),
    Eof,
}

#[derive(Debug, Clone, PartialEq)]
struct Token {
    tok: Tok,
    line: usize,
    column: usize,
}

fn fail(line: usize, column: usize, message: impl Into<String>) -> ParseFailure {
    ParseFailure {
        line: Some(line),
        column: Some(column),
        message: message.into(),
    }
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Ident(s) => format!("`{s}`"),
        Tok::Int(n) => format!("`{n}`"),
        Tok::Float => "a number".into(),
        Tok::Str(s) => format!("\"{s}\""),
        Tok::Sym(c) => format!("`{c}`"),
        Tok::Eof => "the end of the file".into(),
    }
}

/// Splits `.proto` text into tokens, dropping whitespace and comments.
fn tokenize(text: &str) -> Result<Vec<Token>, ParseFailure> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let (mut i, mut line, mut col) = (0usize, 1usize, 1usize);
    let advance = |i: &mut usize, line: &mut usize, col: &mut usize, c: char| {
        *i += 1;
        if c == '\n' {
            *line += 1;
            *col = 1;
        } else {
            *col += 1;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let (start_line, start_col) = (line, col);
        if c.is_whitespace() {
            advance(&mut i, &mut line, &mut col, c);
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                let ch = chars[i];
                advance(&mut i, &mut line, &mut col, ch);
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            advance(&mut i, &mut line, &mut col, '/');
            advance(&mut i, &mut line, &mut col, '*');
            loop {
                if i >= chars.len() {
                    return Err(fail(start_line, start_col, "unterminated /* comment"));
                }
                if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    advance(&mut i, &mut line, &mut col, '*');
                    advance(&mut i, &mut line, &mut col, '/');
                    break;
                }
                let ch = chars[i];
                advance(&mut i, &mut line, &mut col, ch);
            }
        } else if c.is_ascii_alphabetic() || c == '_' {
            let mut s = String::new();
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                s.push(chars[i]);
                let ch = chars[i];
                advance(&mut i, &mut line, &mut col, ch);
            }
            tokens.push(Token {
                tok: Tok::Ident(s),
                line: start_line,
                column: start_col,
            });
        } else if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            let mut s = String::new();
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric()
                    || chars[i] == '.'
                    || ((chars[i] == '-' || chars[i] == '+')
                        && matches!(s.chars().last(), Some('e' | 'E'))
                        && !s.starts_with("0x")
                        && !s.starts_with("0X")))
            {
                s.push(chars[i]);
                let ch = chars[i];
                advance(&mut i, &mut line, &mut col, ch);
            }
            let tok = parse_number(&s).ok_or_else(|| fail(start_line, start_col, format!("invalid number `{s}`")))?;
            tokens.push(Token {
                tok,
                line: start_line,
                column: start_col,
            });
        } else if c == '"' || c == '\'' {
            let quote = c;
            advance(&mut i, &mut line, &mut col, c);
            let mut s = String::new();
            loop {
                match chars.get(i) {
                    None | Some('\n') => {
                        return Err(fail(start_line, start_col, "unterminated string"));
                    }
                    Some(&q) if q == quote => {
                        advance(&mut i, &mut line, &mut col, q);
                        break;
                    }
                    Some('\\') => {
                        advance(&mut i, &mut line, &mut col, '\\');
                        if let Some(&e) = chars.get(i) {
                            s.push(match e {
                                'n' => '\n',
                                't' => '\t',
                                other => other,
                            });
                            advance(&mut i, &mut line, &mut col, e);
                        }
                    }
                    Some(&other) => {
                        s.push(other);
                        advance(&mut i, &mut line, &mut col, other);
                    }
                }
            }
            tokens.push(Token {
                tok: Tok::Str(s),
                line: start_line,
                column: start_col,
            });
        } else if "{}[]()<>;,=-+.:/".contains(c) {
            advance(&mut i, &mut line, &mut col, c);
            tokens.push(Token {
                tok: Tok::Sym(c),
                line: start_line,
                column: start_col,
            });
        } else {
            return Err(fail(line, col, format!("unexpected character `{c}`")));
        }
    }
    tokens.push(Token {
        tok: Tok::Eof,
        line,
        column: col,
    });
    Ok(tokens)
}

fn parse_number(s: &str) -> Option<Tok> {
    let lower = s.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(Tok::Int);
    }
    if lower.contains('.') || (lower.contains('e') && !lower.starts_with("0x")) {
        return lower.parse::<f64>().ok().map(|_| Tok::Float);
    }
    if lower.len() > 1 && lower.starts_with('0') {
        return i64::from_str_radix(&lower[1..], 8).ok().map(Tok::Int);
    }
    lower.parse::<i64>().ok().map(Tok::Int)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    syntax: String,
}

/// Parses `.proto` text.
pub(crate) fn parse(text: &str) -> Result<ProtoFile, ParseFailure> {
    let mut p = Parser {
        tokens: tokenize(text)?,
        pos: 0,
        syntax: "proto2".into(),
    };
    p.file()
}

impl Parser {
    fn peek(&self) -> &Token {
        &self.tokens[self.pos]
    }

    fn peek_at(&self, ahead: usize) -> &Tok {
        &self.tokens[(self.pos + ahead).min(self.tokens.len() - 1)].tok
    }

    fn next(&mut self) -> Token {
        let t = self.tokens[self.pos].clone();
        if self.pos + 1 < self.tokens.len() {
            self.pos += 1;
        }
        t
    }

    fn error_here(&self, expected: &str) -> ParseFailure {
        let t = self.peek();
        fail(
            t.line,
            t.column,
            format!("expected {expected}, found {}", describe(&t.tok)),
        )
    }

    fn is_sym(&self, c: char) -> bool {
        self.peek().tok == Tok::Sym(c)
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(&self.peek().tok, Tok::Ident(s) if s == w)
    }

    fn eat_sym(&mut self, c: char) -> bool {
        if self.is_sym(c) {
            self.next();
            true
        } else {
            false
        }
    }

    fn expect_sym(&mut self, c: char) -> Result<(), ParseFailure> {
        if self.eat_sym(c) {
            Ok(())
        } else {
            Err(self.error_here(&format!("`{c}`")))
        }
    }

    fn ident(&mut self, what: &str) -> Result<String, ParseFailure> {
        match &self.peek().tok {
            Tok::Ident(s) => {
                let s = s.clone();
                self.next();
                Ok(s)
            }
            _ => Err(self.error_here(what)),
        }
    }

    /// A possibly dotted, possibly absolute name: `.a.b.C`, `b.C`, `C`.
    fn full_ident(&mut self, what: &str) -> Result<String, ParseFailure> {
        let mut s = String::new();
        if self.eat_sym('.') {
            s.push('.');
        }
        s.push_str(&self.ident(what)?);
        while self.is_sym('.') {
            self.next();
            s.push('.');
            s.push_str(&self.ident(what)?);
        }
        Ok(s)
    }

    fn string(&mut self, what: &str) -> Result<String, ParseFailure> {
        let mut out = match &self.peek().tok {
            Tok::Str(s) => s.clone(),
            _ => return Err(self.error_here(what)),
        };
        self.next();
        // Adjacent string literals concatenate.
        while let Tok::Str(s) = &self.peek().tok {
            out.push_str(&s.clone());
            self.next();
        }
        Ok(out)
    }

    fn int(&mut self, what: &str) -> Result<(i64, Token), ParseFailure> {
        let negative = self.eat_sym('-');
        let t = self.peek().clone();
        match t.tok {
            Tok::Int(n) => {
                self.next();
                Ok((if negative { -n } else { n }, t))
            }
            _ => Err(self.error_here(what)),
        }
    }

    /// Skips to the end of a statement (`;`), over balanced brackets and braces.
    fn skip_statement(&mut self) -> Result<(), ParseFailure> {
        let mut depth = 0i32;
        loop {
            let t = self.next();
            match t.tok {
                Tok::Eof => return Err(fail(t.line, t.column, "expected `;` before the end")),
                Tok::Sym('{' | '[' | '(') => depth += 1,
                Tok::Sym('}' | ']' | ')') => depth -= 1,
                Tok::Sym(';') if depth <= 0 => return Ok(()),
                _ => {}
            }
            // A block statement (aggregate option) may end with `}` and no `;`.
            if depth == 0 && t.tok == Tok::Sym('}') && !self.is_sym(';') {
                return Ok(());
            }
        }
    }

    /// Skips a `{ ... }` block; the current token is its `{`.
    fn skip_block(&mut self) -> Result<(), ParseFailure> {
        let open = self.peek().clone();
        self.expect_sym('{')?;
        let mut depth = 1;
        while depth > 0 {
            let t = self.next();
            match t.tok {
                Tok::Eof => return Err(fail(open.line, open.column, "unclosed `{`")),
                Tok::Sym('{') => depth += 1,
                Tok::Sym('}') => depth -= 1,
                _ => {}
            }
        }
        Ok(())
    }

    /// Skips `[ ... ]` field options, if any.
    fn skip_field_options(&mut self) -> Result<(), ParseFailure> {
        if !self.is_sym('[') {
            return Ok(());
        }
        let open = self.peek().clone();
        let mut depth = 0;
        loop {
            let t = self.next();
            match t.tok {
                Tok::Eof => return Err(fail(open.line, open.column, "unclosed `[`")),
                Tok::Sym('[' | '{' | '(') => depth += 1,
                Tok::Sym(']' | '}' | ')') => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
    }

    fn file(&mut self) -> Result<ProtoFile, ParseFailure> {
        let mut file = ProtoFile {
            syntax: "proto2".into(),
            ..ProtoFile::default()
        };
        let mut first = true;
        loop {
            let t = self.peek().clone();
            match &t.tok {
                Tok::Eof => break,
                Tok::Sym(';') => {
                    self.next();
                }
                Tok::Ident(w) if w == "syntax" || w == "edition" => {
                    if !first {
                        return Err(fail(t.line, t.column, format!("`{w}` must come first")));
                    }
                    let is_edition = w == "edition";
                    self.next();
                    self.expect_sym('=')?;
                    let s = self.string("a quoted syntax name")?;
                    if is_edition {
                        file.syntax = "editions".into();
                    } else if s == "proto2" || s == "proto3" {
                        file.syntax = s;
                    } else {
                        return Err(fail(t.line, t.column, format!("unknown syntax \"{s}\"")));
                    }
                    self.syntax = file.syntax.clone();
                    self.expect_sym(';')?;
                }
                Tok::Ident(w) if w == "package" => {
                    self.next();
                    if file.package.is_some() {
                        return Err(fail(t.line, t.column, "a second `package`"));
                    }
                    file.package = Some(self.full_ident("a package name")?);
                    self.expect_sym(';')?;
                }
                Tok::Ident(w) if w == "import" => {
                    self.next();
                    if self.is_word("public") || self.is_word("weak") {
                        self.next();
                    }
                    file.imports.push(self.string("a quoted file name")?);
                    self.expect_sym(';')?;
                }
                Tok::Ident(w) if w == "option" => {
                    self.next();
                    self.skip_statement()?;
                }
                Tok::Ident(w) if w == "message" => {
                    self.next();
                    file.messages.push(self.message()?);
                }
                Tok::Ident(w) if w == "enum" => {
                    self.next();
                    file.enums.push(self.enum_def()?);
                }
                Tok::Ident(w) if w == "service" || w == "extend" => {
                    self.next();
                    self.full_ident("a name")?;
                    self.skip_block()?;
                }
                _ => {
                    return Err(self.error_here(
                        "`syntax`, `package`, `import`, `option`, `message`, `enum`, `service` \
                         or `extend`",
                    ));
                }
            }
            first = false;
        }
        check_names_unique(&file.messages, &file.enums)?;
        Ok(file)
    }

    fn message(&mut self) -> Result<Message, ParseFailure> {
        let name = self.ident("a message name")?;
        let mut msg = Message {
            name,
            ..Message::default()
        };
        self.expect_sym('{')?;
        self.message_body(&mut msg)?;
        self.validate(&msg)?;
        Ok(msg)
    }

    /// The statements of a message up to and including its closing `}`.
    fn message_body(&mut self, msg: &mut Message) -> Result<(), ParseFailure> {
        loop {
            let t = self.peek().clone();
            match &t.tok {
                Tok::Sym('}') => {
                    self.next();
                    return Ok(());
                }
                Tok::Eof => return Err(self.error_here("`}`")),
                Tok::Sym(';') => {
                    self.next();
                }
                Tok::Ident(w) => match w.as_str() {
                    "message" => {
                        self.next();
                        msg.messages.push(self.message()?);
                    }
                    "enum" => {
                        self.next();
                        msg.enums.push(self.enum_def()?);
                    }
                    "option" | "extensions" => {
                        self.next();
                        self.skip_statement()?;
                    }
                    "extend" => {
                        self.next();
                        self.full_ident("a name")?;
                        self.skip_block()?;
                    }
                    "reserved" => {
                        self.next();
                        self.reserved(&mut msg.reserved_numbers, &mut msg.reserved_names)?;
                    }
                    "oneof" => {
                        self.next();
                        let oneof = self.ident("a oneof name")?;
                        msg.oneofs.push(oneof.clone());
                        self.expect_sym('{')?;
                        loop {
                            if self.eat_sym('}') {
                                break;
                            }
                            if self.eat_sym(';') {
                                continue;
                            }
                            if self.is_word("option") {
                                self.next();
                                self.skip_statement()?;
                                continue;
                            }
                            self.field(msg, Some(&oneof))?;
                        }
                    }
                    _ => self.field(msg, None)?,
                },
                _ => return Err(self.error_here("a field, `message`, `enum`, `oneof` or `}`")),
            }
        }
    }

    /// One field (or map field, or proto2 group) into `msg`.
    fn field(&mut self, msg: &mut Message, oneof: Option<&str>) -> Result<(), ParseFailure> {
        let start = self.peek().clone();
        let label = match &start.tok {
            Tok::Ident(w) => w.parse::<Label>().ok(),
            _ => None,
        };
        if label.is_some() {
            if oneof.is_some() {
                return Err(fail(start.line, start.column, "oneof fields take no label"));
            }
            if label == Some(Label::Required) && self.syntax == "proto3" {
                return Err(fail(
                    start.line,
                    start.column,
                    "required fields are not allowed in proto3",
                ));
            }
            self.next();
        }
        let ty = if self.is_word("map") && self.peek_at(1) == &Tok::Sym('<') {
            self.next();
            self.next();
            let key = self.full_ident("a map key type")?;
            self.expect_sym(',')?;
            let value = self.full_ident("a map value type")?;
            self.expect_sym('>')?;
            FieldType::Map(key, value)
        } else if self.is_word("group") && matches!(self.peek_at(1), Tok::Ident(_)) {
            self.next();
            let group = self.ident("a group name")?;
            self.expect_sym('=')?;
            let (number, _) = self.int("a field number")?;
            self.skip_field_options()?;
            let mut nested = Message {
                name: group.clone(),
                ..Message::default()
            };
            self.expect_sym('{')?;
            self.message_body(&mut nested)?;
            self.validate(&nested)?;
            msg.messages.push(nested);
            msg.fields.push(Field {
                name: group.to_ascii_lowercase(),
                number,
                label,
                ty: FieldType::Named(group),
                oneof: oneof.map(str::to_string),
                line: start.line,
                column: start.column,
            });
            return Ok(());
        } else {
            FieldType::Named(self.full_ident("a field type")?)
        };
        let name = self.ident("a field name")?;
        self.expect_sym('=')?;
        let (number, number_tok) = self.int("a field number")?;
        if !(1..=MAX_FIELD_NUMBER).contains(&number) {
            return Err(fail(
                number_tok.line,
                number_tok.column,
                format!("field number {number} is out of range 1..{MAX_FIELD_NUMBER}"),
            ));
        }
        if (19_000..=19_999).contains(&number) {
            return Err(fail(
                number_tok.line,
                number_tok.column,
                format!("field numbers 19000 to 19999 are reserved by protobuf (got {number})"),
            ));
        }
        self.skip_field_options()?;
        self.expect_sym(';')?;
        msg.fields.push(Field {
            name,
            number,
            label,
            ty,
            oneof: oneof.map(str::to_string),
            line: start.line,
            column: start.column,
        });
        Ok(())
    }

    /// `reserved 1, 4 to 6, 100 to max;` or `reserved "a", "b";` (editions: `reserved a, b;`).
    fn reserved(&mut self, numbers: &mut Vec<(i64, i64)>, names: &mut Vec<String>) -> Result<(), ParseFailure> {
        loop {
            match &self.peek().tok {
                Tok::Str(_) => names.push(self.string("a name")?),
                Tok::Ident(_) if self.syntax == "editions" => names.push(self.ident("a name")?),
                _ => {
                    let (low, _) = self.int("a field number or a quoted name")?;
                    let high = if self.is_word("to") {
                        self.next();
                        if self.is_word("max") {
                            self.next();
                            MAX_FIELD_NUMBER
                        } else {
                            self.int("a field number or `max`")?.0
                        }
                    } else {
                        low
                    };
                    numbers.push((low, high));
                }
            }
            if self.eat_sym(';') {
                return Ok(());
            }
            self.expect_sym(',')?;
        }
    }

    fn enum_def(&mut self) -> Result<EnumDef, ParseFailure> {
        let name = self.ident("an enum name")?;
        let mut def = EnumDef {
            name,
            values: Vec::new(),
        };
        let (mut numbers, mut names) = (Vec::new(), Vec::new());
        self.expect_sym('{')?;
        loop {
            let t = self.peek().clone();
            match &t.tok {
                Tok::Sym('}') => {
                    self.next();
                    break;
                }
                Tok::Sym(';') => {
                    self.next();
                }
                Tok::Ident(w) if w == "option" => {
                    self.next();
                    self.skip_statement()?;
                }
                Tok::Ident(w) if w == "reserved" => {
                    self.next();
                    self.reserved(&mut numbers, &mut names)?;
                }
                Tok::Ident(_) => {
                    let value = self.ident("an enum value name")?;
                    self.expect_sym('=')?;
                    let (number, _) = self.int("an enum value number")?;
                    self.skip_field_options()?;
                    self.expect_sym(';')?;
                    if def.values.is_empty() && self.syntax == "proto3" && number != 0 {
                        return Err(fail(
                            t.line,
                            t.column,
                            format!(
                                "the first value of a proto3 enum must be zero (`{value}` is \
                                 {number})"
                            ),
                        ));
                    }
                    if def.values.iter().any(|(n, _)| *n == value) {
                        return Err(fail(t.line, t.column, format!("`{value}` is defined twice")));
                    }
                    def.values.push((value, number));
                }
                _ => return Err(self.error_here("an enum value or `}`")),
            }
        }
        Ok(def)
    }

    /// Field numbers and names unique, and none reserved.
    fn validate(&self, msg: &Message) -> Result<(), ParseFailure> {
        for (i, f) in msg.fields.iter().enumerate() {
            if let Some(other) = msg.fields[..i].iter().find(|o| o.number == f.number) {
                return Err(fail(
                    f.line,
                    f.column,
                    format!(
                        "field number {} of `{}` is already used by `{}` in message `{}`",
                        f.number, f.name, other.name, msg.name
                    ),
                ));
            }
            if msg.fields[..i].iter().any(|o| o.name == f.name) {
                return Err(fail(
                    f.line,
                    f.column,
                    format!("field `{}` is defined twice in message `{}`", f.name, msg.name),
                ));
            }
            if let Some((lo, hi)) = msg
                .reserved_numbers
                .iter()
                .find(|(lo, hi)| (*lo..=*hi).contains(&f.number))
            {
                let range = if lo == hi {
                    lo.to_string()
                } else {
                    format!("{lo} to {hi}")
                };
                return Err(fail(
                    f.line,
                    f.column,
                    format!(
                        "field `{}` uses number {}, which message `{}` reserves ({range})",
                        f.name, f.number, msg.name
                    ),
                ));
            }
            if msg.reserved_names.contains(&f.name) {
                return Err(fail(
                    f.line,
                    f.column,
                    format!("field name `{}` is reserved in message `{}`", f.name, msg.name),
                ));
            }
        }
        check_names_unique(&msg.messages, &msg.enums)
    }
}

fn check_names_unique(messages: &[Message], enums: &[EnumDef]) -> Result<(), ParseFailure> {
    let mut seen = std::collections::HashSet::new();
    for name in messages.iter().map(|m| &m.name).chain(enums.iter().map(|e| &e.name)) {
        if !seen.insert(name) {
            return Err(ParseFailure {
                line: None,
                column: None,
                message: format!("type `{name}` is defined twice in the same scope"),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> (usize, usize, String) {
        let e = parse(text).unwrap_err();
        (e.line.unwrap(), e.column.unwrap(), e.message)
    }

    #[test]
    fn parses_a_typical_proto3_file() {
        let f = parse(
            r#"
            // leading comment
            syntax = "proto3";
            package shop.v1;
            import "google/protobuf/timestamp.proto";
            option java_package = "com.shop";
            /* block
               comment */
            message Order {
              option (my.opt) = { a: 1 b: "x" };
              string id = 1 [deprecated = true];
              repeated Item items = 2;
              map<string, int64> counts = 3;
              optional int32 priority = 4;
              oneof payment {
                Card card = 5;
                string voucher = 6;
              }
              reserved 7, 9 to 11, 100 to max;
              reserved "legacy";
              message Item { int32 qty = 1; }
              enum Status { STATUS_UNSPECIFIED = 0; NEW = 1 [(x) = 2]; reserved 5; }
            }
            message Card { bytes token = 1; }
            service Shop { rpc Get (Order) returns (Order) { option idempotency_level = NO_SIDE_EFFECTS; } }
            "#,
        )
        .unwrap();
        assert_eq!(f.syntax, "proto3");
        assert_eq!(f.package.as_deref(), Some("shop.v1"));
        assert_eq!(f.imports, ["google/protobuf/timestamp.proto"]);
        let order = &f.messages[0];
        type Row = (String, i64, Option<Label>, String, Option<String>);
        let summary: Vec<Row> = order
            .fields
            .iter()
            .map(|x| (x.name.clone(), x.number, x.label, x.ty.to_string(), x.oneof.clone()))
            .collect();
        assert_eq!(
            summary,
            [
                ("id".into(), 1, None, "string".into(), None),
                ("items".into(), 2, Some(Label::Repeated), "Item".into(), None),
                ("counts".into(), 3, None, "map<string, int64>".into(), None),
                ("priority".into(), 4, Some(Label::Optional), "int32".into(), None),
                ("card".into(), 5, None, "Card".into(), Some("payment".into())),
                ("voucher".into(), 6, None, "string".into(), Some("payment".into())),
            ]
        );
        assert_eq!(order.reserved_numbers, [(7, 7), (9, 11), (100, MAX_FIELD_NUMBER)]);
        assert_eq!(order.reserved_names, ["legacy"]);
        assert_eq!(order.messages[0].name, "Item");
        assert_eq!(
            order.enums[0].values,
            [("STATUS_UNSPECIFIED".into(), 0), ("NEW".into(), 1)]
        );
        assert_eq!(f.messages[1].name, "Card");
    }

    #[test]
    fn parses_proto2_labels_and_groups() {
        let f = parse(
            "syntax = \"proto2\";\nmessage M {\n  required int32 a = 1 [default = -5];\n  \
             optional group Result = 2 { optional string url = 3; }\n  extensions 100 to 199;\n}\n\
             extend M { optional int32 b = 100; }",
        )
        .unwrap();
        let m = &f.messages[0];
        assert_eq!(m.fields[0].label, Some(Label::Required));
        assert_eq!((m.fields[1].name.as_str(), m.fields[1].number), ("result", 2));
        assert_eq!(m.messages[0].name, "Result");
    }

    #[test]
    fn files_without_syntax_are_proto2() {
        assert_eq!(parse("message M { required int32 a = 1; }").unwrap().syntax, "proto2");
    }

    #[test]
    fn errors_name_line_and_column() {
        assert_eq!(
            err("syntax = \"proto3\";\nmessage M {\n  int32 a = ;\n}"),
            (3, 13, "expected a field number, found `;`".into())
        );
        assert_eq!(err("message M {\n  int32 a = 1;\n").0, 3);
        assert_eq!(err("syntax = \"proto3\";\nmessage M { int32 a = 1 }").1, 25);
        assert_eq!(err("message M { int32 a = 1; }\n/* open").0, 2);
        assert_eq!(
            err("message M { string s = 1 [default = \"x]; }").2,
            "unterminated string"
        );
        assert_eq!(err("message M { int32 a = 1; # }").2, "unexpected character `#`");
    }

    #[test]
    fn protoc_rules_are_enforced() {
        let (line, _, msg) = err("message M {\n  int32 a = 1;\n  int32 b = 1;\n}");
        assert_eq!(line, 3);
        assert!(msg.contains("already used by `a`"), "{msg}");
        let (line, col, msg) = err("message M {\n  reserved 2 to 4;\n  int32 b = 3;\n}");
        assert_eq!((line, col), (3, 3));
        assert!(msg.contains("reserves (2 to 4)"), "{msg}");
        assert!(err("message M { reserved \"x\"; int32 x = 1; }").2.contains("reserved"));
        assert!(
            err("syntax = \"proto3\"; message M { required int32 a = 1; }")
                .2
                .contains("proto3")
        );
        assert!(err("syntax = \"proto3\"; enum E { A = 1; }").2.contains("zero"));
        assert!(err("message M { int32 a = 0; }").2.contains("out of range"));
        assert!(err("message M { int32 a = 19500; }").2.contains("19000"));
        assert!(err("message M { int32 a = 1; int32 a = 2; }").2.contains("twice"));
    }

    #[test]
    fn numbers_in_several_bases() {
        assert_eq!(parse_number("0x1F"), Some(Tok::Int(31)));
        assert_eq!(parse_number("017"), Some(Tok::Int(15)));
        assert_eq!(parse_number("42"), Some(Tok::Int(42)));
        assert_eq!(parse_number("1.5e-3"), Some(Tok::Float));
        assert_eq!(parse_number("12abc"), None);
    }
}
