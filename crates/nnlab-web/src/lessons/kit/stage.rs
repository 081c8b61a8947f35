//! The stage of the picture lessons (derivative, gradient, 1-D and 2-D
//! descent): a loss surface on which something walks, with a status line
//! over it, Play/Step/Reset and a speed, and buttons that save the figure.
//! The lessons add their own legend, read-outs and settings around it.

use std::cell::Cell;
use std::rc::Rc;

use nnlab_figures::Frame;
use web_sys::HtmlElement;

use super::bind::{Binder, Outcome};
use super::drag::{on_arrow_keys, on_drag};
use super::page::{self, Columns, Redraw};
use crate::draw::SurfaceView;
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::lessons::LessonModel;
use crate::widgets::{ExportButtons, ExportFormat, HiDpiCanvas, Listener, Scale, Transport};

/// What differs between the stages of two lessons.
pub struct Setting {
    /// Prefix of the element ids: `<prefix>-canvas`, `<prefix>-play`, `<prefix>-speed`, …
    prefix: &'static str,
    /// What the picture shows, for screen readers.
    description: Key,
    /// The speeds offered.
    speeds: Scale,
    /// What the speed counts.
    speed_unit: Key,
}

impl Setting {
    /// A stage with ids `<prefix>-…`, described for screen readers by
    /// `description`, offering `speeds` in steps per second.
    pub const fn new(prefix: &'static str, description: Key, speeds: Scale) -> Setting {
        Setting {
            prefix,
            description,
            speeds,
            speed_unit: Key::SpeedUnit,
        }
    }

    /// The same with the speed counting something else (`unit`: frames/s, lines/s).
    pub const fn counting(self, unit: Key) -> Setting {
        Setting {
            speed_unit: unit,
            ..self
        }
    }
}

/// The start point of a stage: where the picture shows it (`at`), and how a
/// press, a drag or an arrow key sets it (`start`).
pub type StartPoint<M, R> = (fn(&M) -> [f64; 2], fn(&mut M, [f64; 2]) -> R);

/// What a frame must draw.
pub struct Due {
    /// The canvases were resized: everything on them is gone.
    pub resized: bool,
    /// The picture shows an older state of the model (or was resized).
    pub picture: bool,
}

/// See the module docs.
pub struct Stage {
    /// The figure's column (the picture first) and the card of controls.
    pub page: Columns,
    /// The surface and what walks on it.
    pub picture: SurfaceView,
    /// The line over the picture that says what is happening.
    pub status: HtmlElement,
    /// Play/Step/Reset and the speed.
    pub transport: Transport,
    /// Save the figure as PNG or SVG.
    pub export: ExportButtons,
    /// The last drawn frame, for the pointer handlers.
    frame: Rc<Cell<Option<Frame>>>,
    redraw: Redraw,
    synced_controls: Option<u64>,
}

impl Stage {
    /// The stage in `root` going at `speed`: the picture in the figure's
    /// column, the transport and export buttons built for the lesson to place
    /// in its controls.
    pub fn new(
        root: &HtmlElement,
        lang: Lang,
        setting: &Setting,
        speed: f64,
    ) -> WebResult<(Stage, Listener)> {
        let page = Columns::new(root)?;
        let id = format!("{}-canvas", setting.prefix);
        let (canvas, status) = page::picture(&page.figure, &id, lang.text(setting.description))?;
        let transport = Transport::new(
            lang,
            setting.prefix,
            speed,
            setting.speed_unit,
            setting.speeds,
        )?;
        let export = ExportButtons::new(lang, setting.prefix)?;
        let (redraw, on_resize) = Redraw::new()?;
        let stage = Stage {
            page,
            picture: SurfaceView::new(canvas)?,
            status,
            transport,
            export,
            frame: Rc::new(Cell::new(None)),
            redraw,
            synced_controls: None,
        };
        Ok((stage, on_resize))
    }

    /// The handlers every stage has: the buttons send the keys' commands,
    /// the speed goes to `speed`, a press (or drag) on the picture to `start`
    /// with the world point under the pointer — or, with the picture focused,
    /// the arrow keys move the point `at` shows — and the export buttons to
    /// `save` with the format asked for.
    pub fn bind<M, R1, R2>(
        &self,
        bind: &mut Binder<M>,
        speed: impl Fn(&mut M, f64) -> R1 + 'static,
        (at, start): StartPoint<M, R2>,
        save: impl Fn(&M, ExportFormat) -> WebResult<()> + 'static,
    ) -> WebResult<()>
    where
        M: LessonModel,
        R1: Outcome,
        R2: Outcome + 'static,
    {
        bind.keep(self.transport.on_command(bind.with(M::command))?);
        bind.keep(self.transport.speed.on_input(bind.with(speed))?);
        let canvas = &self.picture.canvas().element;
        let start = Rc::new(start);
        let set = start.clone();
        let by_pointer = bind.with(move |m: &mut M, p| set(m, p));
        bind.keep(on_drag(canvas, self.frame.clone(), by_pointer)?);
        let model = bind.model();
        let shown = move || at(&model.borrow());
        let by_keys = bind.with(move |m: &mut M, p| start(m, p));
        bind.keep(on_arrow_keys(canvas, self.frame.clone(), shown, by_keys)?);
        bind.keep(self.export.on_export(bind.read(save))?);
        Ok(())
    }

    /// Whether the controls must be set from the model (its controls'
    /// `revision` moved since they last were); they then count as set.
    pub fn controls_stale(&mut self, revision: u64) -> bool {
        let stale = self.synced_controls != Some(revision);
        self.synced_controls = Some(revision);
        stale
    }

    /// Fits the picture (and `chart`, a canvas under it, if any) to the page
    /// after a resize and says what must be drawn for model state `revision`;
    /// `aspect` is height / width.
    pub fn due(
        &mut self,
        revision: u64,
        aspect: f64,
        max_width: u32,
        chart: Option<(&mut HiDpiCanvas, f64)>,
    ) -> WebResult<Due> {
        let mut resized = false;
        if self.redraw.take_resize() {
            // The chart under the picture first: the picture then takes the
            // room the chart leaves (in presenter mode both fit one screen).
            if let Some((chart, aspect)) = chart {
                resized |= chart.fit_to_parent_width(aspect, max_width)?;
            }
            let picture = self.picture.canvas_mut();
            resized |= picture.fit_to_parent(aspect, max_width)?;
        }
        let picture = self.redraw.due(resized, revision);
        Ok(Due { resized, picture })
    }

    /// Keeps the frame just drawn for the pointer handlers.
    pub fn drawn(&self) {
        self.frame.set(self.picture.frame());
    }
}
