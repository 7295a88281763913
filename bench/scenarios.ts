export interface Scenario {
  name: string;
  description: string;
  /** The cheapest operation, measured in the same run; every target is reported against it. */
  baseline: string;
  targets: Record<string, string>;
}

export const scenarios: Scenario[] = [
  {
    name: "catalog-reads",
    description: "the category tree against the liveness probe",
    baseline: "/health",
    targets: {
      "category tree": "/api/categories",
      "top-level categories": "/api/categories?depth=1",
    },
  },
];
