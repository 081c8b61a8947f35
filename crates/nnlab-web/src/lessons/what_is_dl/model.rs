//! The state of the AI ⊃ ML ⊃ DL lesson: which of the three regions is
//! open. Digits open a region (1 AI, 2 ML, 3 DL), → goes one region further
//! in (and from DL back out to AI), R goes back to AI.

use crate::commands::Command;
use crate::error::WebResult;
use crate::i18n::Key;
use crate::lessons::{LessonModel, Playback};

/// One of the three nested fields, outermost first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    /// Artificial intelligence: the whole field.
    Ai,
    /// Machine learning: a part of AI.
    Ml,
    /// Deep learning: a part of machine learning.
    Dl,
}

impl Region {
    /// Outermost first: the order of the drawing, the digit keys and →.
    pub const ALL: [Region; 3] = [Region::Ai, Region::Ml, Region::Dl];

    /// Its name in links and in the page's `data-region` attributes.
    pub fn name(self) -> &'static str {
        match self {
            Region::Ai => "ai",
            Region::Ml => "ml",
            Region::Dl => "dl",
        }
    }

    /// The region called `name` in a link.
    pub fn from_name(name: &str) -> Option<Region> {
        Region::ALL.into_iter().find(|r| r.name() == name)
    }

    /// The region of digit key `n` (1 = AI).
    pub fn by_number(n: usize) -> Option<Region> {
        n.checked_sub(1).and_then(|i| Region::ALL.get(i).copied())
    }

    /// The next region inwards; from the innermost, back to the outermost.
    pub fn inner(self) -> Region {
        match self {
            Region::Ai => Region::Ml,
            Region::Ml => Region::Dl,
            Region::Dl => Region::Ai,
        }
    }

    /// The region's name on the page.
    pub fn title(self) -> Key {
        match self {
            Region::Ai => Key::WhatAi,
            Region::Ml => Key::WhatMl,
            Region::Dl => Key::WhatDl,
        }
    }

    /// Its definition, in the lecture's words where the lecture gives one.
    pub fn definition(self) -> Key {
        match self {
            Region::Ai => Key::WhatAiDefinition,
            Region::Ml => Key::WhatMlDefinition,
            Region::Dl => Key::WhatDlDefinition,
        }
    }

    /// Examples, one per line.
    pub fn examples(self) -> Key {
        match self {
            Region::Ai => Key::WhatAiExamples,
            Region::Ml => Key::WhatMlExamples,
            Region::Dl => Key::WhatDlExamples,
        }
    }
}

/// Which region is open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Model {
    region: Region,
    revision: u64,
}

impl Default for Model {
    /// The whole field first: the lecture starts from AI.
    fn default() -> Model {
        Model {
            region: Region::Ai,
            revision: 0,
        }
    }
}

impl Model {
    /// The open region.
    pub fn region(&self) -> Region {
        self.region
    }

    /// Opens `region`.
    pub fn open(&mut self, region: Region) {
        if region != self.region {
            self.region = region;
            self.revision += 1;
        }
    }

    /// Bumps on every change the page shows.
    pub fn revision(&self) -> u64 {
        self.revision
    }
}

impl LessonModel for Model {
    fn command(&mut self, command: Command) -> WebResult<()> {
        match command {
            Command::Preset(n) => {
                if let Some(region) = Region::by_number(n) {
                    self.open(region);
                }
            }
            Command::Step => self.open(self.region.inner()),
            Command::Reset => self.open(Region::Ai),
            Command::PlayPause => {}
        }
        Ok(())
    }

    /// Nothing plays: → steps inwards, R goes back to AI.
    fn playback(&self) -> Playback {
        Playback {
            playing: None,
            steps: true,
            resets: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_open_regions_and_step_inwards() {
        let mut m = Model::default();
        assert_eq!(m.region(), Region::Ai);
        m.command(Command::Preset(3)).unwrap();
        assert_eq!(m.region(), Region::Dl);
        assert_eq!(m.revision(), 1);
        // No fourth region: the digit is ignored and nothing is redrawn.
        m.command(Command::Preset(4)).unwrap();
        assert_eq!((m.region(), m.revision()), (Region::Dl, 1));
        // From the innermost, → goes back out to AI, then in to ML.
        m.command(Command::Step).unwrap();
        assert_eq!(m.region(), Region::Ai);
        m.command(Command::Step).unwrap();
        assert_eq!(m.region(), Region::Ml);
        m.command(Command::Reset).unwrap();
        assert_eq!(m.region(), Region::Ai);
        m.command(Command::PlayPause).unwrap();
        assert_eq!(m.region(), Region::Ai);
    }

    #[test]
    fn names_round_trip() {
        for r in Region::ALL {
            assert_eq!(Region::from_name(r.name()), Some(r));
        }
        assert_eq!(Region::from_name("AI"), None);
        assert_eq!(Region::by_number(0), None);
        assert_eq!(Region::by_number(1), Some(Region::Ai));
    }
}
