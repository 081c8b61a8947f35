//! Slide figures of a run: SVG (vector heat map cells) or PNG (bitmap heat map),
//! drawn by `nnlab-figures` exactly like the web app's canvas.

use crate::descend::Settings;
use crate::error::{CliError, CliResult};
use nnlab::descent::Trajectory;
use nnlab_figures::{colormap, curve_plot, surface_plot, HeatMap, Track};
use plotters::backend::{BitMapBackend, SVGBackend};
use plotters::coord::Shift;
use plotters::prelude::*;

/// "adam on rosenbrock, lr 0.02, 200 steps" (an lr of 1e300 stays 1e300,
/// not 301 digits: the shortest form that reads back the same).
fn title(s: &Settings) -> String {
    format!(
        "{} on {}, lr {:?}, {} steps",
        s.kind.name(),
        s.surface.name,
        s.hyper.lr,
        s.steps
    )
}

fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Settings,
    path: &Trajectory,
    heat: HeatMap,
) -> CliResult<()> {
    // Red reads well on viridis and on the light 1-D plot alike.
    let tracks = [Track {
        points: &path.points,
        color: colormap::track_color(0),
        label: s.kind.name(),
    }];
    let title = title(s);
    let drawn = if s.surface.dim == 1 {
        curve_plot::draw_figure(area, &s.surface, &tracks, &title)
    } else {
        surface_plot::draw_figure_with(area, &s.surface, &tracks, &title, heat)
    };
    drawn.map_err(CliError::Draw)
}

pub fn svg(s: &Settings, path: &Trajectory, (w, h): (u32, u32)) -> CliResult<String> {
    let mut text = String::new();
    {
        let area = SVGBackend::with_string(&mut text, (w, h)).into_drawing_area();
        draw(&area, s, path, HeatMap::Cells)?;
    }
    Ok(text)
}

pub fn png(s: &Settings, path: &Trajectory, (w, h): (u32, u32)) -> CliResult<Vec<u8>> {
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    {
        let area = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        draw(&area, s, path, HeatMap::Bitmap)?;
    }
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let encode_err = |e: png::EncodingError| CliError::Draw(format!("cannot encode PNG: {e}"));
    let mut writer = encoder.write_header().map_err(encode_err)?;
    writer.write_image_data(&rgb).map_err(encode_err)?;
    writer.finish().map_err(encode_err)?;
    Ok(bytes)
}
