//! The data lesson's state and arithmetic, free of browser types: which
//! images the gallery shows, which one is taken apart, and how a position in
//! the 3072-long input vector maps to a pixel of a colour plane.

use crate::lessons::LessonModel;

/// Columns of a gallery page.
pub const GALLERY_COLUMNS: usize = 10;
/// Rows of a gallery page.
pub const GALLERY_ROWS: usize = 4;
/// Images per gallery page.
pub const GALLERY_SIZE: usize = GALLERY_COLUMNS * GALLERY_ROWS;
/// Side of a CIFAR-10 image, in pixels.
pub const SIDE: usize = 32;
/// Pixels per colour plane.
pub const PLANE: usize = SIDE * SIDE;

/// Where an entry of the flattened `(1, 3072)` vector comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// 0 = R, 1 = G, 2 = B.
    pub channel: usize,
    /// Row in the image, from the top.
    pub row: usize,
    /// Column in the image, from the left.
    pub column: usize,
}

impl Position {
    /// `reshape` keeps the planar order: all of R row by row, then G, then B.
    pub fn index(self) -> usize {
        self.channel * PLANE + self.row * SIDE + self.column
    }

    /// The inverse of [`Position::index`]; `None` past 3071.
    pub fn of_index(index: usize) -> Option<Position> {
        (index < 3 * PLANE).then_some(Position {
            channel: index / PLANE,
            row: (index % PLANE) / SIDE,
            column: index % SIDE,
        })
    }
}

/// The gallery's filter, page and the image taken apart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Model {
    /// Show only this class (None: every class).
    pub class: Option<usize>,
    /// The gallery page shown (0-based).
    pub page: usize,
    /// Index (in the test set) of the image shown as a vector.
    pub selected: usize,
    /// The vector entry under the mouse.
    pub hovered: Option<usize>,
    /// Bumped on every change the page shows.
    pub revision: u64,
}

impl Model {
    /// The test-set indices on the current gallery page.
    pub fn gallery(&self, labels: &[u8]) -> Vec<usize> {
        let matching = labels
            .iter()
            .enumerate()
            .filter(|(_, &l)| self.class.is_none_or(|c| usize::from(l) == c))
            .map(|(i, _)| i);
        matching
            .skip(self.page * GALLERY_SIZE)
            .take(GALLERY_SIZE)
            .collect()
    }

    /// Shows only `class` (`None`: all), from the first page, and selects its first image.
    /// `labels` are the test set's.
    pub fn set_class(&mut self, class: Option<usize>, labels: &[u8]) {
        self.class = class;
        self.page = 0;
        if let Some(&first) = self.gallery(labels).first() {
            self.selected = first;
        }
        self.revision += 1;
    }

    /// The next page, back to the first after the last.
    pub fn next_page(&mut self, labels: &[u8]) {
        self.page += 1;
        if self.gallery(labels).is_empty() {
            self.page = 0;
        }
        self.revision += 1;
    }

    /// Shows test image `index` as a vector.
    pub fn select(&mut self, index: usize) {
        self.selected = index;
        self.revision += 1;
    }

    /// The vector entry under the mouse, if any.
    pub fn hover(&mut self, index: Option<usize>) {
        if self.hovered != index {
            self.hovered = index;
            self.revision += 1;
        }
    }
}

/// The gallery is browsed with the mouse; nothing moves by itself.
impl LessonModel for Model {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_index_is_planar() {
        // Green (1), row 2, column 3: 1·1024 + 2·32 + 3 = 1091.
        let p = Position {
            channel: 1,
            row: 2,
            column: 3,
        };
        assert_eq!(p.index(), 1091);
        assert_eq!(Position::of_index(1091), Some(p));
        assert_eq!(
            Position::of_index(3071),
            Some(Position {
                channel: 2,
                row: 31,
                column: 31
            })
        );
        assert_eq!(Position::of_index(3072), None);
    }

    #[test]
    fn gallery_filters_by_class_and_pages_wrap() {
        // 50 images of class 0 and 50 of class 1, alternating.
        let labels: Vec<u8> = (0..100).map(|i| (i % 2) as u8).collect();
        let mut model = Model::default();
        assert_eq!(model.gallery(&labels).len(), GALLERY_SIZE);
        model.set_class(Some(1), &labels);
        let page = model.gallery(&labels);
        assert_eq!(&page[..3], &[1, 3, 5]);
        assert_eq!(model.selected, 1);
        // 50 of class 1 at 40 a page: page 1 has 10, page 2 wraps to 0.
        model.next_page(&labels);
        assert_eq!(model.gallery(&labels).len(), 10);
        model.next_page(&labels);
        assert_eq!(model.page, 0);
    }
}
