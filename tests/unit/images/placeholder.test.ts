import { createHash } from "node:crypto";
import sharp from "sharp";
import { describe, expect, it, vi } from "vitest";
import { renderPlaceholder } from "../../../src/domain/catalog/images/placeholder";
import { processImage } from "../../../src/domain/catalog/images/process";
import { checkUpload } from "../../../src/domain/catalog/images/validate";

// Every SVG handed to sharp, so that the markup renderPlaceholder builds can be read.
const svgInputs = vi.hoisted(() => [] as string[]);
vi.mock("sharp", async (importOriginal) => {
  const { default: sharp } = await importOriginal<typeof import("sharp")>();
  const recording = (...args: Parameters<typeof sharp>) => {
    const [input] = args;
    if (Buffer.isBuffer(input) && input.subarray(0, 4).toString("latin1") === "<svg") {
      svgInputs.push(input.toString("utf8"));
    }
    return sharp(...args);
  };
  return { default: Object.assign(recording, sharp) };
});

const digest = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("renderPlaceholder", () => {
  it("draws a 1600×1200 picture that passes the same checks as an upload", async () => {
    const placeholder = await renderPlaceholder("Amigurumi bunny", 1);
    const metadata = await sharp(placeholder).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(["png", 1600, 1200]);
    expect(checkUpload(placeholder)).toBe("png");

    const processed = await processImage(placeholder);
    expect(processed.variants.thumbnail).toMatchObject({ width: 200, height: 150 });
    expect(processed.variants.card).toMatchObject({ width: 600, height: 450 });
    expect(processed.variants.full).toMatchObject({ width: 1600, height: 1200 });
  });

  it("gives the same bytes for the same label and seed", async () => {
    const [first, again] = await Promise.all([
      renderPlaceholder("Granny square blanket", 7),
      renderPlaceholder("Granny square blanket", 7),
    ]);
    expect(digest(first)).toBe(digest(again));
  });

  it("gives another background for another seed", async () => {
    const corner = async (seed: number) => {
      const { data } = await sharp(await renderPlaceholder("Beanie", seed))
        .extract({ left: 0, top: 0, width: 1, height: 1 })
        .raw()
        .toBuffer({ resolveWithObject: true });
      return [...data];
    };
    expect(await corner(1)).not.toEqual(await corner(2));
    expect(digest(await renderPlaceholder("Beanie", 1))).not.toBe(
      digest(await renderPlaceholder("Beanie", 2)),
    );
  });

  it("treats the label as text, even when it looks like markup", async () => {
    // Read as markup, this label (short enough not to be cut) would paint the picture black.
    const hostile = '</text><path d="M0 0H1e4V1e4z"/><text>';
    const background = async (label: string) => {
      const { data } = await sharp(await renderPlaceholder(label, 3))
        .extract({ left: 40, top: 40, width: 1, height: 1 })
        .raw()
        .toBuffer({ resolveWithObject: true });
      return [...data];
    };
    expect(await background(hostile)).toEqual(await background("Beanie"));
  });

  it("escapes every character XML gives a meaning to, so the label reads back unchanged", async () => {
    // A bare & or < alone would make the SVG unreadable, and the picture would not be made.
    const label = `Egg & Toast <3 "Kids'" >`;
    svgInputs.length = 0;
    const placeholder = await renderPlaceholder(label, 5);
    expect((await sharp(placeholder).metadata()).width).toBe(1600);

    const [svg] = svgInputs;
    const texts = [...(svg ?? "").matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)].map(
      (match) => match[1] ?? "",
    );
    expect(texts).toHaveLength(1);
    const [drawn = ""] = texts;
    expect(drawn).not.toMatch(/[<>"']/);
    expect(drawn.replace(/&(?:#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos);/gi, "")).not.toContain("&");
    expect(decodeXmlText(drawn)).toBe(label);
  });
});

/** The text an XML parser reads from character data: entities and character references resolved. */
function decodeXmlText(text: string): string {
  const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X"))
      return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
    return named[name] ?? entity;
  });
}
