const TEMPLATE_PARAMETER = /\{([^{}]+)\}/g;

/**
 * The contract's tag templates with the operation's parameters filled in: `product:{id}` with
 * `{ id: 42 }` is `product:42`. A missing parameter throws: a tag left half-filled would
 * invalidate nothing, silently.
 */
export function expandTagTemplates(
  templates: readonly string[],
  params: Record<string, string | number>,
): string[] {
  return templates.map((template) =>
    template.replace(TEMPLATE_PARAMETER, (_, name: string) => {
      // Own properties only: `{constructor}` must not find Object.prototype's.
      const value = Object.hasOwn(params, name) ? params[name] : undefined;
      if (value === undefined) {
        throw new Error(`cache tag template "${template}" needs the parameter "${name}"`);
      }
      return String(value);
    }),
  );
}
