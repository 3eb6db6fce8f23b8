/**
 * DO NOT EDIT: generated from specs/schemas/kpi-catalogue.schema.json, specs/schemas/kpi-profile.schema.json, specs/schemas/kpi-observation.schema.json, specs/schemas/kpi-alert.schema.json, specs/schemas/kpi-scorecard.schema.json by `npm run specs`.
 * Edit the schemas and regenerate instead.
 */

/** A JSON Schema (2020-12) document. */
export type JsonSchemaDocument = { readonly $id: string; readonly [key: string]: unknown };

/** KPI catalogue (specs/schemas/kpi-catalogue.schema.json). */
export const kpiCatalogueSchema: JsonSchemaDocument = {
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://dttm.vn/schemas/kpi-catalogue.schema.json",
  "title": "KPI catalogue",
  "description": "A smart-city KPI framework as data: layers → groups → subgroups → indicators (3098/BTTTT-KHCN coding L<layer>.N<group>.PN<subgroup>.<nn>). Disagreements between source tables are kept as documented aliases.",
  "type": "object",
  "additionalProperties": false,
  "required": [
    "id",
    "version",
    "name",
    "documents",
    "layers"
  ],
  "properties": {
    "$schema": {
      "type": "string"
    },
    "id": {
      "$ref": "#/$defs/slug"
    },
    "version": {
      "type": "string",
      "pattern": "^[0-9]+\\.[0-9]+\\.[0-9]+$"
    },
    "name": {
      "$ref": "#/$defs/text"
    },
    "description": {
      "$ref": "#/$defs/text"
    },
    "documents": {
      "type": "array",
      "items": {
        "$ref": "#/$defs/document"
      }
    },
    "source": {
      "$ref": "#/$defs/sourceRef"
    },
    "layers": {
      "type": "array",
      "minItems": 1,
      "items": {
        "$ref": "#/$defs/layer"
      }
    }
  },
  "$defs": {
    "slug": {
      "type": "string",
      "pattern": "^[a-z0-9][a-z0-9-]{0,63}$"
    },
    "code": {
      "type": "string",
      "pattern": "^[A-Z0-9][A-Z0-9._-]{0,63}$"
    },
    "text": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "vi"
      ],
      "properties": {
        "vi": {
          "type": "string",
          "minLength": 1
        },
        "en": {
          "type": "string",
          "minLength": 1
        }
      }
    },
    "document": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "id",
        "title"
      ],
      "properties": {
        "id": {
          "$ref": "#/$defs/slug"
        },
        "title": {
          "$ref": "#/$defs/text"
        },
        "issuer": {
          "type": "string"
        },
        "date": {
          "type": "string"
        },
        "url": {
          "type": "string",
          "format": "uri"
        }
      }
    },
    "sourceRef": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "document"
      ],
      "properties": {
        "document": {
          "$ref": "#/$defs/slug"
        },
        "table": {
          "type": "string"
        },
        "row": {
          "type": "integer",
          "minimum": 1
        },
        "page": {
          "type": "integer",
          "minimum": 1
        }
      }
    },
    "unit": {
      "enum": [
        "percent",
        "boolean",
        "count",
        "count-per-area",
        "index",
        "quantity"
      ],
      "description": "percent: 0–100; boolean: Có/Chưa (yes/not yet); count; count-per-area (e.g. monitoring points per km²); index (dimensionless score); quantity (a measured value in unitLabel, e.g. minutes)."
    },
    "direction": {
      "enum": [
        "higher-better",
        "lower-better",
        "band"
      ]
    },
    "ratioTerm": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "name"
      ],
      "properties": {
        "name": {
          "$ref": "#/$defs/text"
        },
        "unitLabel": {
          "type": "string"
        }
      }
    },
    "alias": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "id",
        "source"
      ],
      "description": "How another source table writes this indicator. A profile may select an alias to use its name, unit or placement.",
      "properties": {
        "id": {
          "$ref": "#/$defs/slug"
        },
        "source": {
          "$ref": "#/$defs/sourceRef"
        },
        "name": {
          "$ref": "#/$defs/text"
        },
        "unit": {
          "$ref": "#/$defs/unit"
        },
        "unitLabel": {
          "type": "string"
        },
        "subgroup": {
          "$ref": "#/$defs/code"
        },
        "note": {
          "$ref": "#/$defs/text"
        }
      }
    },
    "indicatorFields": {
      "type": "object",
      "required": [
        "code",
        "name",
        "unit",
        "valueType",
        "direction"
      ],
      "properties": {
        "code": {
          "$ref": "#/$defs/code"
        },
        "name": {
          "$ref": "#/$defs/text"
        },
        "description": {
          "$ref": "#/$defs/text"
        },
        "unit": {
          "$ref": "#/$defs/unit"
        },
        "unitLabel": {
          "type": "string"
        },
        "valueType": {
          "enum": [
            "number",
            "boolean"
          ]
        },
        "direction": {
          "$ref": "#/$defs/direction"
        },
        "sector": {
          "type": "string",
          "pattern": "^[a-z][a-z0-9-]{0,31}$",
          "description": "Sector responsible for the indicator (administration, health, education, environment, transport, police, construction, finance, ict, science-technology, tourism …); used to scope data by authority."
        },
        "numerator": {
          "$ref": "#/$defs/ratioTerm"
        },
        "denominator": {
          "$ref": "#/$defs/ratioTerm"
        },
        "formula": {
          "$ref": "#/$defs/text"
        },
        "frequency": {
          "enum": [
            "monthly",
            "quarterly",
            "yearly"
          ]
        },
        "sources": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/sourceRef"
          }
        },
        "aliases": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/alias"
          }
        },
        "notes": {
          "$ref": "#/$defs/text"
        }
      },
      "description": "Fields of an indicator; `indicator` closes the set."
    },
    "indicator": {
      "$ref": "#/$defs/indicatorFields",
      "unevaluatedProperties": false
    },
    "subgroup": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "code",
        "name",
        "indicators"
      ],
      "properties": {
        "code": {
          "$ref": "#/$defs/code"
        },
        "name": {
          "$ref": "#/$defs/text"
        },
        "sources": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/sourceRef"
          }
        },
        "notes": {
          "$ref": "#/$defs/text"
        },
        "indicators": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/indicator"
          }
        }
      }
    },
    "group": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "code",
        "name",
        "subgroups"
      ],
      "properties": {
        "code": {
          "$ref": "#/$defs/code"
        },
        "name": {
          "$ref": "#/$defs/text"
        },
        "notes": {
          "$ref": "#/$defs/text"
        },
        "subgroups": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/subgroup"
          }
        }
      }
    },
    "layer": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "code",
        "name",
        "groups"
      ],
      "properties": {
        "code": {
          "$ref": "#/$defs/code"
        },
        "name": {
          "$ref": "#/$defs/text"
        },
        "groups": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/group"
          }
        }
      }
    }
  }
};

/** KPI profile (specs/schemas/kpi-profile.schema.json). */
export const kpiProfileSchema: JsonSchemaDocument = {
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://dttm.vn/schemas/kpi-profile.schema.json",
  "title": "KPI profile",
  "description": "Targets, baselines and extra indicators layered over a KPI catalogue without code: a province's plan (bac-giang-2025), a sector, a city.",
  "type": "object",
  "additionalProperties": false,
  "required": [
    "id",
    "version",
    "name",
    "catalogue",
    "targetPeriod",
    "targets"
  ],
  "properties": {
    "$schema": {
      "type": "string"
    },
    "id": {
      "$ref": "#/$defs/slug"
    },
    "version": {
      "type": "string",
      "pattern": "^[0-9]+\\.[0-9]+\\.[0-9]+$"
    },
    "name": {
      "$ref": "#/$defs/text"
    },
    "description": {
      "$ref": "#/$defs/text"
    },
    "catalogue": {
      "$ref": "#/$defs/slug",
      "description": "Id of the base catalogue."
    },
    "extends": {
      "$ref": "#/$defs/slug",
      "description": "Id of a profile whose targets and indicators this one inherits."
    },
    "illustrative": {
      "type": "boolean",
      "description": "True for an example profile whose indicators and targets are not taken from an official document."
    },
    "documents": {
      "type": "array",
      "items": {
        "$ref": "#/$defs/document"
      }
    },
    "source": {
      "$ref": "#/$defs/sourceRef"
    },
    "area": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "level"
      ],
      "properties": {
        "level": {
          "enum": [
            "province",
            "district",
            "department"
          ]
        },
        "adminUnitCode": {
          "type": "string",
          "pattern": "^[0-9]{2,5}$"
        },
        "department": {
          "type": "string",
          "minLength": 1
        },
        "name": {
          "$ref": "#/$defs/text"
        }
      }
    },
    "subareas": {
      "type": "array",
      "description": "Administrative units whose observations add up to the profile's area (districts and cities of a province).",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "adminUnitCode",
          "name"
        ],
        "properties": {
          "adminUnitCode": {
            "type": "string",
            "pattern": "^[0-9]{2,5}$"
          },
          "name": {
            "$ref": "#/$defs/text"
          },
          "areaKm2": {
            "type": "number",
            "exclusiveMinimum": 0
          }
        }
      }
    },
    "targetPeriod": {
      "$ref": "#/$defs/period"
    },
    "columns": {
      "type": "object",
      "additionalProperties": false,
      "description": "Headings of the source table's value columns.",
      "properties": {
        "current": {
          "$ref": "#/$defs/text"
        },
        "reference2020": {
          "$ref": "#/$defs/text"
        },
        "target": {
          "$ref": "#/$defs/text"
        }
      }
    },
    "indicators": {
      "type": "array",
      "description": "Extra indicators this profile adds, each placed in a subgroup of the catalogue or of `subgroups`.",
      "items": {
        "allOf": [
          {
            "$ref": "#/$defs/indicatorFields"
          }
        ],
        "required": [
          "subgroup"
        ],
        "properties": {
          "subgroup": {
            "$ref": "#/$defs/code"
          }
        },
        "unevaluatedProperties": false
      }
    },
    "subgroups": {
      "type": "array",
      "description": "Extra subgroups, each placed in a group of the catalogue.",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "code",
          "name",
          "group"
        ],
        "properties": {
          "code": {
            "$ref": "#/$defs/code"
          },
          "name": {
            "$ref": "#/$defs/text"
          },
          "group": {
            "$ref": "#/$defs/code"
          }
        }
      }
    },
    "aliases": {
      "type": "object",
      "description": "Indicator code → alias id to use instead of the catalogue's primary definition.",
      "propertyNames": {
        "$ref": "#/$defs/code"
      },
      "additionalProperties": {
        "$ref": "#/$defs/slug"
      }
    },
    "targets": {
      "type": "array",
      "items": {
        "$ref": "#/$defs/target"
      }
    }
  },
  "$defs": {
    "value": {
      "oneOf": [
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "value"
          ],
          "properties": {
            "value": {
              "type": [
                "number",
                "boolean"
              ]
            },
            "text": {
              "type": "string"
            }
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "state"
          ],
          "properties": {
            "state": {
              "enum": [
                "no-data",
                "not-deployed"
              ],
              "description": "no-data: not yet determined (Chưa xác định); not-deployed: not yet deployed (Chưa triển khai), a known zero state."
            },
            "text": {
              "type": "string"
            }
          }
        }
      ]
    },
    "goal": {
      "oneOf": [
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "op",
            "value"
          ],
          "properties": {
            "op": {
              "enum": [
                "eq",
                "gte",
                "lte"
              ]
            },
            "value": {
              "type": "number"
            },
            "text": {
              "type": "string"
            }
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "op",
            "min",
            "max"
          ],
          "properties": {
            "op": {
              "const": "between"
            },
            "min": {
              "type": "number"
            },
            "max": {
              "type": "number"
            },
            "text": {
              "type": "string"
            }
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "op"
          ],
          "properties": {
            "op": {
              "enum": [
                "yes",
                "no"
              ]
            },
            "text": {
              "type": "string"
            }
          }
        }
      ]
    },
    "target": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "indicator",
        "target"
      ],
      "properties": {
        "indicator": {
          "$ref": "#/$defs/code"
        },
        "row": {
          "type": "integer",
          "minimum": 1
        },
        "current": {
          "$ref": "#/$defs/value"
        },
        "reference2020": {
          "$ref": "#/$defs/value"
        },
        "baseline": {
          "allOf": [
            {
              "$ref": "#/$defs/value"
            }
          ],
          "description": "Value progress is measured from; defaults to `current`."
        },
        "target": {
          "$ref": "#/$defs/goal"
        },
        "unitText": {
          "type": "string",
          "description": "The unit as the source table writes it, when it differs from the catalogue's label."
        },
        "weight": {
          "type": "number",
          "exclusiveMinimum": 0
        },
        "dueAfterDays": {
          "type": "integer",
          "minimum": 0,
          "description": "Days after a period ends by which its observation is due (missing-report alerts)."
        },
        "notApplicable": {
          "type": "boolean",
          "description": "Kept in the profile but not evaluated."
        }
      }
    },
    "indicatorFields": {
      "type": "object",
      "required": [
        "code",
        "name",
        "unit",
        "valueType",
        "direction"
      ],
      "properties": {
        "code": {
          "$ref": "#/$defs/code"
        },
        "name": {
          "$ref": "#/$defs/text"
        },
        "description": {
          "$ref": "#/$defs/text"
        },
        "unit": {
          "$ref": "#/$defs/unit"
        },
        "unitLabel": {
          "type": "string"
        },
        "valueType": {
          "enum": [
            "number",
            "boolean"
          ]
        },
        "direction": {
          "$ref": "#/$defs/direction"
        },
        "sector": {
          "type": "string",
          "pattern": "^[a-z][a-z0-9-]{0,31}$",
          "description": "Sector responsible for the indicator (administration, health, education, environment, transport, police, construction, finance, ict, science-technology, tourism …); used to scope data by authority."
        },
        "numerator": {
          "$ref": "#/$defs/ratioTerm"
        },
        "denominator": {
          "$ref": "#/$defs/ratioTerm"
        },
        "formula": {
          "$ref": "#/$defs/text"
        },
        "frequency": {
          "enum": [
            "monthly",
            "quarterly",
            "yearly"
          ]
        },
        "sources": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/sourceRef"
          }
        },
        "aliases": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/alias"
          }
        },
        "notes": {
          "$ref": "#/$defs/text"
        }
      },
      "description": "Fields of an indicator; `indicator` closes the set."
    },
    "text": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "vi"
      ],
      "properties": {
        "vi": {
          "type": "string",
          "minLength": 1
        },
        "en": {
          "type": "string",
          "minLength": 1
        }
      }
    },
    "code": {
      "type": "string",
      "pattern": "^[A-Z0-9][A-Z0-9._-]{0,63}$"
    },
    "slug": {
      "type": "string",
      "pattern": "^[a-z0-9][a-z0-9-]{0,63}$"
    },
    "document": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "id",
        "title"
      ],
      "properties": {
        "id": {
          "$ref": "#/$defs/slug"
        },
        "title": {
          "$ref": "#/$defs/text"
        },
        "issuer": {
          "type": "string"
        },
        "date": {
          "type": "string"
        },
        "url": {
          "type": "string",
          "format": "uri"
        }
      }
    },
    "sourceRef": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "document"
      ],
      "properties": {
        "document": {
          "$ref": "#/$defs/slug"
        },
        "table": {
          "type": "string"
        },
        "row": {
          "type": "integer",
          "minimum": 1
        },
        "page": {
          "type": "integer",
          "minimum": 1
        }
      }
    },
    "period": {
      "oneOf": [
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "year"
          ],
          "properties": {
            "year": {
              "type": "integer",
              "minimum": 1900,
              "maximum": 2200
            }
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "year",
            "quarter"
          ],
          "properties": {
            "year": {
              "type": "integer",
              "minimum": 1900,
              "maximum": 2200
            },
            "quarter": {
              "type": "integer",
              "minimum": 1,
              "maximum": 4
            }
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "year",
            "month"
          ],
          "properties": {
            "year": {
              "type": "integer",
              "minimum": 1900,
              "maximum": 2200
            },
            "month": {
              "type": "integer",
              "minimum": 1,
              "maximum": 12
            }
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "interval"
          ],
          "properties": {
            "interval": {
              "type": "string",
              "pattern": "^[^/]+/[^/]+$",
              "description": "ISO 8601 interval, e.g. 2025-01-01T00:00:00+07:00/2025-04-01T00:00:00+07:00"
            }
          }
        }
      ]
    },
    "direction": {
      "enum": [
        "higher-better",
        "lower-better",
        "band"
      ]
    },
    "alias": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "id",
        "source"
      ],
      "description": "How another source table writes this indicator. A profile may select an alias to use its name, unit or placement.",
      "properties": {
        "id": {
          "$ref": "#/$defs/slug"
        },
        "source": {
          "$ref": "#/$defs/sourceRef"
        },
        "name": {
          "$ref": "#/$defs/text"
        },
        "unit": {
          "$ref": "#/$defs/unit"
        },
        "unitLabel": {
          "type": "string"
        },
        "subgroup": {
          "$ref": "#/$defs/code"
        },
        "note": {
          "$ref": "#/$defs/text"
        }
      }
    },
    "unit": {
      "enum": [
        "percent",
        "boolean",
        "count",
        "count-per-area",
        "index",
        "quantity"
      ],
      "description": "percent: 0–100; boolean: Có/Chưa (yes/not yet); count; count-per-area (e.g. monitoring points per km²); index (dimensionless score); quantity (a measured value in unitLabel, e.g. minutes)."
    },
    "ratioTerm": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "name"
      ],
      "properties": {
        "name": {
          "$ref": "#/$defs/text"
        },
        "unitLabel": {
          "type": "string"
        }
      }
    }
  }
};

/** KPI observation (specs/schemas/kpi-observation.schema.json). */
export const kpiObservationSchema: JsonSchemaDocument = {
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://dttm.vn/schemas/kpi-observation.schema.json",
  "title": "KPI observation",
  "description": "One reported value of a smart-city KPI (3098/BTTTT-KHCN) for a period and an administrative scope. Payload of kpi.observation.recorded.",
  "type": "object",
  "additionalProperties": false,
  "required": [
    "indicator",
    "value",
    "period",
    "scope",
    "source",
    "method",
    "recordedAt"
  ],
  "properties": {
    "indicator": {
      "type": "string",
      "pattern": "^[A-Z0-9][A-Z0-9._-]{0,63}$",
      "description": "Indicator code of the catalogue."
    },
    "value": {
      "oneOf": [
        {
          "type": "number"
        },
        {
          "type": "boolean"
        }
      ],
      "description": "Numeric value in the indicator's unit, or yes/no for boolean indicators."
    },
    "period": {
      "oneOf": [
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "year"
          ],
          "properties": {
            "year": {
              "type": "integer",
              "minimum": 1900,
              "maximum": 2200
            }
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "year",
            "quarter"
          ],
          "properties": {
            "year": {
              "type": "integer",
              "minimum": 1900,
              "maximum": 2200
            },
            "quarter": {
              "type": "integer",
              "minimum": 1,
              "maximum": 4
            }
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "year",
            "month"
          ],
          "properties": {
            "year": {
              "type": "integer",
              "minimum": 1900,
              "maximum": 2200
            },
            "month": {
              "type": "integer",
              "minimum": 1,
              "maximum": 12
            }
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "interval"
          ],
          "properties": {
            "interval": {
              "type": "string",
              "pattern": "^[^/]+/[^/]+$",
              "description": "ISO 8601 interval, e.g. 2025-01-01T00:00:00+07:00/2025-04-01T00:00:00+07:00"
            }
          }
        }
      ]
    },
    "scope": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "level"
      ],
      "properties": {
        "level": {
          "enum": [
            "province",
            "district",
            "department"
          ]
        },
        "adminUnitCode": {
          "type": "string",
          "pattern": "^[0-9]{2,5}$",
          "description": "Administrative-unit code (province 2 digits, district 3 digits)."
        },
        "department": {
          "type": "string",
          "minLength": 1
        }
      }
    },
    "numerator": {
      "type": "number",
      "minimum": 0
    },
    "denominator": {
      "type": "number",
      "exclusiveMinimum": 0
    },
    "source": {
      "type": "string",
      "minLength": 1,
      "description": "Source system that reported the value."
    },
    "method": {
      "enum": [
        "manual",
        "automatic"
      ]
    },
    "quality": {
      "type": "array",
      "uniqueItems": true,
      "items": {
        "enum": [
          "estimated",
          "provisional",
          "revised",
          "imputed",
          "outlier"
        ]
      }
    },
    "recordedAt": {
      "type": "string",
      "format": "date-time"
    }
  }
};

/** KPI alert (specs/schemas/kpi-alert.schema.json). */
export const kpiAlertSchema: JsonSchemaDocument = {
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://dttm.vn/schemas/kpi-alert.schema.json",
  "title": "KPI alert",
  "description": "An alert on a smart-city KPI: target not met at period end, regression versus the previous period, a missing report past its due date, or a measured value past a threshold. Payload of kpi.alert.raised.",
  "type": "object",
  "additionalProperties": false,
  "required": [
    "id",
    "dedupKey",
    "kind",
    "indicator",
    "severity",
    "state",
    "raisedAt",
    "message"
  ],
  "properties": {
    "id": {
      "type": "string",
      "minLength": 1
    },
    "dedupKey": {
      "type": "string",
      "minLength": 1
    },
    "kind": {
      "enum": [
        "target-not-met",
        "regression",
        "missing-report",
        "threshold"
      ],
      "description": "threshold: a measured value (e.g. a station's VN_AQI) crossed a named warning or critical threshold."
    },
    "indicator": {
      "type": "string",
      "pattern": "^[A-Z0-9][A-Z0-9._-]{0,63}$"
    },
    "profile": {
      "type": "string"
    },
    "scope": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "level"
      ],
      "properties": {
        "level": {
          "enum": [
            "province",
            "district",
            "department"
          ]
        },
        "adminUnitCode": {
          "type": "string",
          "pattern": "^[0-9]{2,5}$"
        },
        "department": {
          "type": "string",
          "minLength": 1
        }
      }
    },
    "period": {
      "type": "string",
      "description": "Period label, e.g. 2025, 2025-Q2, 2025-06 or an ISO 8601 interval."
    },
    "severity": {
      "enum": [
        "info",
        "warning",
        "critical"
      ]
    },
    "state": {
      "enum": [
        "open",
        "acknowledged",
        "resolved"
      ]
    },
    "value": {
      "oneOf": [
        {
          "type": "number"
        },
        {
          "type": "boolean"
        },
        {
          "type": "null"
        }
      ]
    },
    "target": {
      "type": "string",
      "description": "Target as written, e.g. ≥ 80%."
    },
    "achievement": {
      "type": [
        "number",
        "null"
      ],
      "minimum": 0,
      "maximum": 100,
      "description": "Achievement (0–100) when the alert was last updated."
    },
    "raisedAt": {
      "type": "string",
      "format": "date-time"
    },
    "updatedAt": {
      "type": "string",
      "format": "date-time"
    },
    "acknowledgedAt": {
      "type": "string",
      "format": "date-time"
    },
    "acknowledgedBy": {
      "type": "string",
      "minLength": 1,
      "description": "Who acknowledged: a user id."
    },
    "resolvedAt": {
      "type": "string",
      "format": "date-time"
    },
    "resolvedBy": {
      "type": "string",
      "minLength": 1,
      "description": "Who resolved: a user id, or `system` when the condition cleared."
    },
    "resolution": {
      "type": "string",
      "maxLength": 2000,
      "description": "Note left when resolving."
    },
    "clearStreak": {
      "type": "integer",
      "minimum": 0,
      "description": "Consecutive evaluations in which the condition was clear (hysteresis)."
    },
    "reopenCount": {
      "type": "integer",
      "minimum": 0
    },
    "message": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "vi",
        "en"
      ],
      "properties": {
        "vi": {
          "type": "string"
        },
        "en": {
          "type": "string"
        }
      }
    },
    "source": {
      "type": "string",
      "minLength": 1,
      "description": "What a threshold alert is about, e.g. station:BG-KK-01."
    }
  }
};

/** KPI scorecard (specs/schemas/kpi-scorecard.schema.json). */
export const kpiScorecardSchema: JsonSchemaDocument = {
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://dttm.vn/schemas/kpi-scorecard.schema.json",
  "title": "KPI scorecard",
  "description": "A profile's indicators evaluated for one period and scope, rolled up by subgroup, group and layer. \"No data\" is a status of its own and is excluded from scores.",
  "type": "object",
  "additionalProperties": false,
  "required": [
    "profile",
    "catalogue",
    "period",
    "scope",
    "summary",
    "rollups",
    "indicators"
  ],
  "properties": {
    "profile": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "id",
        "version",
        "name",
        "illustrative"
      ],
      "properties": {
        "id": {
          "type": "string"
        },
        "version": {
          "type": "string"
        },
        "name": {
          "$ref": "#/$defs/text"
        },
        "illustrative": {
          "type": "boolean"
        }
      }
    },
    "catalogue": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "id",
        "version"
      ],
      "properties": {
        "id": {
          "type": "string"
        },
        "version": {
          "type": "string"
        }
      }
    },
    "period": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "label",
        "kind",
        "start",
        "end"
      ],
      "properties": {
        "label": {
          "type": "string"
        },
        "kind": {
          "enum": [
            "year",
            "quarter",
            "month",
            "interval"
          ]
        },
        "start": {
          "type": "string",
          "format": "date-time"
        },
        "end": {
          "type": "string",
          "format": "date-time"
        }
      }
    },
    "scope": {
      "$ref": "#/$defs/scope"
    },
    "summary": {
      "$ref": "#/$defs/rollup"
    },
    "rollups": {
      "type": "array",
      "items": {
        "$ref": "#/$defs/rollup"
      }
    },
    "indicators": {
      "type": "array",
      "items": {
        "$ref": "#/$defs/evaluation"
      }
    }
  },
  "$defs": {
    "band": {
      "enum": [
        1,
        2,
        3,
        4,
        null
      ]
    },
    "rollup": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "level",
        "code",
        "name",
        "met",
        "notMet",
        "noData",
        "notApplicable",
        "total",
        "score",
        "band",
        "coverage"
      ],
      "properties": {
        "level": {
          "enum": [
            "total",
            "layer",
            "group",
            "subgroup"
          ]
        },
        "code": {
          "type": "string"
        },
        "name": {
          "$ref": "#/$defs/text"
        },
        "parent": {
          "type": "string"
        },
        "met": {
          "type": "integer",
          "minimum": 0
        },
        "notMet": {
          "type": "integer",
          "minimum": 0
        },
        "noData": {
          "type": "integer",
          "minimum": 0
        },
        "notApplicable": {
          "type": "integer",
          "minimum": 0
        },
        "total": {
          "type": "integer",
          "minimum": 0
        },
        "score": {
          "type": [
            "number",
            "null"
          ],
          "minimum": 0,
          "maximum": 100
        },
        "band": {
          "$ref": "#/$defs/band"
        },
        "coverage": {
          "type": [
            "number",
            "null"
          ],
          "minimum": 0,
          "maximum": 100
        }
      }
    },
    "evaluation": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "indicator",
        "name",
        "unit",
        "layer",
        "group",
        "subgroup",
        "status",
        "value",
        "basis",
        "target",
        "baseline",
        "achievement",
        "band",
        "progress",
        "trend",
        "weight"
      ],
      "properties": {
        "indicator": {
          "$ref": "#/$defs/code"
        },
        "name": {
          "$ref": "#/$defs/text"
        },
        "unit": {
          "$ref": "#/$defs/unit"
        },
        "unitLabel": {
          "type": "string"
        },
        "layer": {
          "type": "string"
        },
        "group": {
          "type": "string"
        },
        "subgroup": {
          "type": "string"
        },
        "sector": {
          "type": "string"
        },
        "status": {
          "enum": [
            "met",
            "not-met",
            "no-data",
            "not-applicable"
          ]
        },
        "value": {
          "type": [
            "number",
            "boolean",
            "null"
          ]
        },
        "numerator": {
          "type": "number"
        },
        "denominator": {
          "type": "number"
        },
        "basis": {
          "enum": [
            "observation",
            "aggregate",
            "none"
          ]
        },
        "observedPeriod": {
          "type": "string"
        },
        "coverage": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "reported"
          ],
          "properties": {
            "reported": {
              "type": "integer",
              "minimum": 0
            },
            "expected": {
              "type": "integer",
              "minimum": 0
            },
            "missing": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          }
        },
        "quality": {
          "$ref": "#/$defs/quality"
        },
        "target": {
          "oneOf": [
            {
              "type": "null"
            },
            {
              "allOf": [
                {
                  "$ref": "#/$defs/goal"
                }
              ],
              "required": [
                "text"
              ]
            }
          ]
        },
        "baseline": {
          "oneOf": [
            {
              "type": "null"
            },
            {
              "$ref": "#/$defs/value"
            }
          ]
        },
        "achievement": {
          "type": [
            "number",
            "null"
          ],
          "minimum": 0,
          "maximum": 100
        },
        "band": {
          "$ref": "#/$defs/band"
        },
        "progress": {
          "type": [
            "number",
            "null"
          ]
        },
        "trend": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "direction",
            "delta",
            "series"
          ],
          "properties": {
            "direction": {
              "enum": [
                "improving",
                "worsening",
                "stable",
                "insufficient-data"
              ]
            },
            "delta": {
              "type": [
                "number",
                "null"
              ]
            },
            "series": {
              "type": "array",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "period",
                  "value"
                ],
                "properties": {
                  "period": {
                    "type": "string"
                  },
                  "value": {
                    "type": [
                      "number",
                      "boolean",
                      "null"
                    ]
                  }
                }
              }
            }
          }
        },
        "weight": {
          "type": "number",
          "exclusiveMinimum": 0
        },
        "reason": {
          "$ref": "#/$defs/message"
        }
      }
    },
    "unit": {
      "enum": [
        "percent",
        "boolean",
        "count",
        "count-per-area",
        "index",
        "quantity"
      ],
      "description": "percent: 0–100; boolean: Có/Chưa (yes/not yet); count; count-per-area (e.g. monitoring points per km²); index (dimensionless score); quantity (a measured value in unitLabel, e.g. minutes)."
    },
    "text": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "vi"
      ],
      "properties": {
        "vi": {
          "type": "string",
          "minLength": 1
        },
        "en": {
          "type": "string",
          "minLength": 1
        }
      }
    },
    "scope": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "level"
      ],
      "properties": {
        "level": {
          "enum": [
            "province",
            "district",
            "department"
          ]
        },
        "adminUnitCode": {
          "type": "string",
          "pattern": "^[0-9]{2,5}$",
          "description": "Administrative-unit code (province 2 digits, district 3 digits)."
        },
        "department": {
          "type": "string",
          "minLength": 1
        }
      }
    },
    "code": {
      "type": "string",
      "pattern": "^[A-Z0-9][A-Z0-9._-]{0,63}$"
    },
    "message": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "vi",
        "en"
      ],
      "properties": {
        "vi": {
          "type": "string"
        },
        "en": {
          "type": "string"
        }
      }
    },
    "value": {
      "oneOf": [
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "value"
          ],
          "properties": {
            "value": {
              "type": [
                "number",
                "boolean"
              ]
            },
            "text": {
              "type": "string"
            }
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "state"
          ],
          "properties": {
            "state": {
              "enum": [
                "no-data",
                "not-deployed"
              ],
              "description": "no-data: not yet determined (Chưa xác định); not-deployed: not yet deployed (Chưa triển khai), a known zero state."
            },
            "text": {
              "type": "string"
            }
          }
        }
      ]
    },
    "quality": {
      "type": "array",
      "uniqueItems": true,
      "items": {
        "enum": [
          "estimated",
          "provisional",
          "revised",
          "imputed",
          "outlier"
        ]
      }
    },
    "goal": {
      "oneOf": [
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "op",
            "value"
          ],
          "properties": {
            "op": {
              "enum": [
                "eq",
                "gte",
                "lte"
              ]
            },
            "value": {
              "type": "number"
            },
            "text": {
              "type": "string"
            }
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "op",
            "min",
            "max"
          ],
          "properties": {
            "op": {
              "const": "between"
            },
            "min": {
              "type": "number"
            },
            "max": {
              "type": "number"
            },
            "text": {
              "type": "string"
            }
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "op"
          ],
          "properties": {
            "op": {
              "enum": [
                "yes",
                "no"
              ]
            },
            "text": {
              "type": "string"
            }
          }
        }
      ]
    }
  }
};
