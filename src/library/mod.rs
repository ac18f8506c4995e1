//! The application layer that every front end (the command line, the MCP adapter, the
//! transports) uses: the skills being served and the questions asked of them. The domain modules
//! below it (`skill`, `search`, `routing`, `tables`, `decide`, `review`) each answer one kind of
//! question; the library holds them together.
//!
//! - this module: [`SkillLibrary`] (search, list documents, decision tables, deciding facts,
//!   configuration review). The search index is opened (or, for skill folders without a cached
//!   index, built) the first time it is needed, so start-up stays fast;
//! - `reading`: reading a document or a section within a token budget;
//! - `routing`: routing orchestration over the routing rules and search;
//! - [`sources`]: where the skills come from, loaded once for every command;
//! - [`live`]: the library being served, and the reload that swaps it.

pub mod live;
mod reading;
mod routing;
pub mod sources;

use std::sync::{Arc, OnceLock};

use serde::Serialize;

pub use live::LiveLibrary;
pub use reading::{DEFAULT_READ_TOKENS, MIN_MAX_TOKENS, ReadReply, SectionEntry};
use reading::{check_budget, entry};
pub use routing::MIN_DESCRIPTION_OVERLAP;
pub use sources::{SkillSources, SourcesError};

use crate::routing::{Router, RoutingError};
use crate::search::cache::IndexCache;
use crate::search::{Hit, SearchError, SearchIndex, SearchRequest};
use crate::skill::{Document, Skill, SkillError, uri};
use crate::tables::{self, DecisionTable, TableError};
use crate::tokens;

/// Default number of search hits.
pub const DEFAULT_SEARCH_LIMIT: usize = 5;
/// Most search hits per request.
pub const MAX_SEARCH_LIMIT: usize = 20;

/// Why a request to the library failed. Each message names what was wrong and what is allowed.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    /// A document, file or section was not found, or a path was refused.
    #[error(transparent)]
    Skill(#[from] SkillError),
    /// A table or column was not found.
    #[error(transparent)]
    Table(#[from] TableError),
    /// The index failed.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// No skill has that name.
    #[error("no skill {requested:?}; loaded skills: {}", available.join(", "))]
    UnknownSkill {
        /// The name asked for.
        requested: String,
        /// The names there are.
        available: Vec<String>,
    },
    /// The routing rules could not be built.
    #[error(transparent)]
    Routing(#[from] RoutingError),
    /// A deciding tool could not decide.
    #[error(transparent)]
    Decide(#[from] crate::decide::DecideError),
    /// A configuration could not be reviewed.
    #[error(transparent)]
    Review(#[from] crate::review::ReviewError),
    /// An argument is out of its range.
    #[error("{argument} must be {allowed}; got {got}")]
    OutOfRange {
        /// The argument's name.
        argument: &'static str,
        /// What is allowed.
        allowed: String,
        /// What was given.
        got: String,
    },
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SearchReply {
    /// Matching sections, best first.
    pub hits: Vec<Hit>,
    /// How many sections matched in all (hits may be fewer).
    pub total: usize,
    /// Misspelt query words that were searched as a corpus word instead, as `from -> to`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<String>,
    /// True when hits were left out to stay within `max_tokens`.
    pub truncated: bool,
}

/// A document in the listing.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ReferenceSummary {
    /// The skill the document belongs to.
    pub skill: String,
    /// The name to pass to `read_reference`.
    pub name: String,
    /// The document's title.
    pub title: String,
    /// One line on what it holds.
    pub description: String,
    /// Its `skill://` URI.
    pub uri: String,
    /// Its size in tokens (estimated; see the tokens module).
    pub tokens: usize,
    /// How many `##` and `###` sections it has.
    pub section_count: usize,
    /// Its `##` and `###` sections, when asked for (one `document`, or `sections: true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sections: Option<Vec<SectionEntry>>,
}

/// A set of loaded skills with a search index over all of them.
#[derive(Debug)]
pub struct SkillLibrary {
    skills: Vec<Arc<Skill>>,
    index: OnceLock<Result<SearchIndex, String>>,
    index_cache: IndexCache,
    router: OnceLock<Result<Router, String>>,
    review_rules: OnceLock<Result<Arc<crate::review::RuleBook>, crate::review::ReviewError>>,
}

impl SkillLibrary {
    /// A library of these skills; the first is the primary one.
    pub fn new(skills: Vec<Arc<Skill>>) -> Self {
        assert!(!skills.is_empty(), "a library holds at least one skill");
        Self {
            skills,
            index: OnceLock::new(),
            index_cache: IndexCache::Off,
            router: OnceLock::new(),
            review_rules: OnceLock::new(),
        }
    }

    /// Keeps the search index of skill folders in `cache` (the embedded skill's is compiled in).
    pub fn with_index_cache(mut self, cache: IndexCache) -> Self {
        self.index_cache = cache;
        self
    }

    /// The skills, primary first.
    pub fn skills(&self) -> &[Arc<Skill>] {
        &self.skills
    }

    /// The primary skill.
    pub fn primary(&self) -> &Arc<Skill> {
        &self.skills[0]
    }

    /// The skill with this name, or the primary one when `name` is `None`.
    pub fn skill(&self, name: Option<&str>) -> Result<&Arc<Skill>, LibraryError> {
        match name {
            None => Ok(self.primary()),
            Some(name) => self
                .skills
                .iter()
                .find(|s| s.name() == name)
                .ok_or_else(|| LibraryError::UnknownSkill {
                    requested: crate::skill::files::display_name(name),
                    available: self.skills.iter().map(|s| s.name().to_string()).collect(),
                }),
        }
    }

    /// The search index, opened or built on first use.
    pub fn index(&self) -> Result<&SearchIndex, LibraryError> {
        let built = self.index.get_or_init(|| {
            let skills: Vec<&Skill> = self.skills.iter().map(AsRef::as_ref).collect();
            let index = crate::search::cache::open(&skills, &self.index_cache).map_err(|e| e.to_string());
            if let Ok(index) = &index {
                tracing::debug!(
                    sections = index.len(),
                    origin = ?index.origin(),
                    ms = index.build_time().as_secs_f64() * 1e3,
                    "search index ready"
                );
            }
            index
        });
        built.as_ref().map_err(|e| LibraryError::OutOfRange {
            argument: "index",
            allowed: "buildable".into(),
            got: e.clone(),
        })
    }

    /// Finds a document: by name, file name, path or `skill://` URI, in `skill` or (when it is
    /// `None`) in the skill a URI names, else the primary skill.
    pub fn document(&self, skill: Option<&str>, document: &str) -> Result<(Arc<Skill>, Arc<Document>), LibraryError> {
        let from_uri = uri::SkillUri::parse(document).map(|u| u.skill().to_string());
        let skill = self.skill(skill.or(from_uri.as_deref()))?;
        Ok((skill.clone(), skill.document(document)?))
    }

    /// Searches all skills, or one, holding the reply to `max_tokens` when given.
    pub fn search(
        &self,
        query: &str,
        limit: Option<usize>,
        document: Option<&str>,
        skill: Option<&str>,
        max_tokens: Option<usize>,
    ) -> Result<SearchReply, LibraryError> {
        let limit = limit.unwrap_or(DEFAULT_SEARCH_LIMIT);
        check_range("limit", limit, 1, MAX_SEARCH_LIMIT)?;
        let max_tokens = check_budget(max_tokens)?;
        let document = match document {
            Some(d) => Some(self.document(skill, d)?.1.name.clone()),
            None => None,
        };
        if let Some(skill) = skill {
            self.skill(Some(skill))?;
        }
        let outcome = self.index()?.search(&SearchRequest {
            query,
            limit,
            document: document.as_deref(),
            skill,
        })?;
        let mut reply = SearchReply {
            hits: outcome.hits,
            total: outcome.total,
            corrections: outcome
                .corrections
                .into_iter()
                .map(|(from, to)| format!("{from} -> {to}"))
                .collect(),
            truncated: false,
        };
        if let Some(budget) = max_tokens {
            while reply_tokens(&reply) > budget && !reply.hits.is_empty() {
                reply.hits.pop();
                reply.truncated = true;
            }
        }
        Ok(reply)
    }

    /// Every document of every skill (or of one skill, or one document), each with its section
    /// count; with its sections too when `sections` is true.
    pub fn list_references(
        &self,
        skill: Option<&str>,
        document: Option<&str>,
        sections: bool,
    ) -> Result<Vec<ReferenceSummary>, LibraryError> {
        let summary = |skill: &Skill, doc: &Document| {
            let listed: Vec<SectionEntry> = doc
                .markdown
                .sections
                .iter()
                .filter(|s| (2..=3).contains(&s.level))
                .map(entry)
                .collect();
            ReferenceSummary {
                skill: skill.name().to_string(),
                name: doc.name.clone(),
                title: doc.title.clone(),
                description: doc.description.clone(),
                uri: uri::file_uri(skill.name(), &doc.path),
                tokens: tokens::estimate(&doc.source),
                section_count: listed.len(),
                sections: sections.then_some(listed),
            }
        };
        if let Some(document) = document {
            let (skill, doc) = self.document(skill, document)?;
            return Ok(vec![summary(&skill, &doc)]);
        }
        let skills: Vec<&Arc<Skill>> = match skill {
            Some(name) => vec![self.skill(Some(name))?],
            None => self.skills.iter().collect(),
        };
        let mut out = Vec::new();
        for skill in skills {
            for doc in skill.documents()? {
                out.push(summary(skill, &doc));
            }
        }
        Ok(out)
    }

    /// The decision tables of a skill: `SKILL.md`'s, then its reference documents'.
    pub fn tables(&self, skill: Option<&str>) -> Result<Vec<DecisionTable>, LibraryError> {
        Ok(tables::skill_tables(self.skill(skill)?)?)
    }

    /// The facts the deciding tools read, from a skill (the primary one by default).
    pub fn facts(&self, skill: Option<&str>) -> Result<crate::decide::SkillFacts, LibraryError> {
        Ok(crate::decide::SkillFacts::new(self.skill(skill)?.clone()))
    }

    /// The primary skill's configuration review rules and known keys, read on first use.
    pub fn review_rules(&self) -> Result<Arc<crate::review::RuleBook>, LibraryError> {
        let book = self
            .review_rules
            .get_or_init(|| crate::review::RuleBook::load(self.primary()).map(Arc::new));
        Ok(book.clone()?)
    }

    /// Reviews a configuration against the primary skill's rules.
    pub fn review(&self, input: &crate::review::ReviewInput) -> Result<crate::review::ConfigReview, LibraryError> {
        let book = self.review_rules()?;
        Ok(crate::review::review(&book, input)?)
    }

    /// One decision table by id (a unique part of the id is enough).
    pub fn table(&self, skill: Option<&str>, id: &str) -> Result<DecisionTable, LibraryError> {
        let all = self.tables(skill)?;
        Ok(tables::find(&all, id)?.clone())
    }
}

fn check_range(argument: &'static str, value: usize, min: usize, max: usize) -> Result<(), LibraryError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(LibraryError::OutOfRange {
            argument,
            allowed: format!("between {min} and {max}"),
            got: value.to_string(),
        })
    }
}

/// The tokens of a value as the client receives it: its JSON.
pub fn reply_tokens<T: Serialize>(reply: &T) -> usize {
    tokens::estimate(&serde_json::to_string(reply).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library() -> SkillLibrary {
        SkillLibrary::new(vec![Arc::new(Skill::embedded().unwrap())])
    }

    #[test]
    fn search_budget_drops_hits() {
        let lib = library();
        let full = lib.search("exactly once", Some(10), None, None, None).unwrap();
        let held = lib.search("exactly once", Some(10), None, None, Some(300)).unwrap();
        assert!(reply_tokens(&held) <= 300);
        assert!(held.hits.len() < full.hits.len());
        assert!(held.truncated);
    }

    #[test]
    fn bad_arguments_name_the_allowed_values() {
        let lib = library();
        let err = lib.search("x", Some(0), None, None, None).unwrap_err().to_string();
        assert_eq!(err, "limit must be between 1 and 20; got 0");
        let err = lib.read(None, "SKILL.md", None, Some(3)).unwrap_err().to_string();
        assert_eq!(err, "max_tokens must be at least 150; got 3");
        let err = lib.skill(Some("nope")).unwrap_err().to_string();
        assert_eq!(err, "no skill \"nope\"; loaded skills: streaming-data-skill");
    }
}
