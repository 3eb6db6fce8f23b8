/**
 * DO NOT EDIT: generated from specs/openapi/reference-server.yaml by `npm run specs`.
 * Edit the specification and regenerate instead.
 */

export interface paths {
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Audit records in sequence order
         * @description Needs the `audit:read` scope (province leadership, operators).
         */
        get: operations["listAuditEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Recompute the audit log's hash chain
         * @description Needs the `audit:read` scope. `ok` is false when a record was altered, removed or reordered.
         */
        get: operations["verifyAuditLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environment/stations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Monitoring stations
         * @description Needs the `environment:read` scope.
         */
        get: operations["listStations"];
        put?: never;
        /**
         * Register a monitoring station
         * @description Needs the `stations:write` scope (operators). Audited.
         */
        post: operations["createStation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environment/stations/{stationId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                stationId: components["parameters"]["StationId"];
            };
            cookie?: never;
        };
        /** One station */
        get: operations["getStation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environment/stations/{stationId}/aqi": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                stationId: components["parameters"]["StationId"];
            };
            cookie?: never;
        };
        /**
         * VN_AQI of a station (hourly and daily, QĐ 1459/QĐ-TCMT)
         * @description Hourly AQI for the hour ending at `at` (PM2.5/PM10 by NowCast over the 12 hours before it) and the
         *     daily AQI of that Vietnam calendar day so far. Readings of any averaging period are first averaged
         *     into hourly means (weighted by their period). Without `at`, the hour of the latest reading is used.
         */
        get: operations["getStationAqi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environment/stations/{stationId}/readings": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                stationId: components["parameters"]["StationId"];
            };
            cookie?: never;
        };
        /** A station's readings in a time range, oldest first */
        get: operations["listReadings"];
        put?: never;
        /**
         * Ingest a batch of readings
         * @description Needs the `readings:ingest` scope (machine clients). Idempotent: a reading for a station and an
         *     instant already stored is counted as a duplicate and not stored again. The whole batch is stored
         *     in one transaction before 202 is sent.
         */
        post: operations["ingestReadings"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live events as Server-Sent Events
         * @description Each SSE frame carries one CloudEvents 1.0 JSON event (`id:` is the event id, `event:` its type);
         *     the event types and payloads are described in `specs/asyncapi/ioc-events.yaml`. Comment frames
         *     (`: keep-alive`) are sent every 15 s. Send `Last-Event-ID` to replay what this instance still
         *     remembers (the last 500 events). Needs the `events:read` scope (province leadership, operators).
         *     Browsers' EventSource cannot set headers, so the token may be passed as `access_token`.
         */
        get: operations["streamEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document as a readable page */
        get: operations["getApiDocs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness probe
         * @description 200 while the process is serving HTTP. It does not touch storage.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description Request counts and latencies by operation, open event streams, events published, and the Node.js
         *     process metrics, in the Prometheus text format. Serve it on a network only your monitoring reaches.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document, as JSON */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness probe
         * @description 200 when every dependency the server needs (storage) answers; 503 otherwise.
         */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AqiValue: {
            aqi: number | null;
            band?: {
                adviceEn: string;
                adviceVi: string;
                hex: string;
                level: number;
                nameEn: string;
                nameVi: string;
            };
            concentrations: {
                [key: string]: number;
            };
            /** @enum {unknown} */
            dominant?: "pm25" | "pm10" | "o3" | "co" | "so2" | "no2";
            reason?: string;
            /** @enum {unknown} */
            status: "ok" | "no-data";
            subIndices: {
                [key: string]: number;
            };
        };
        AuditEntry: {
            /** @example alert.acknowledge */
            action: string;
            actor: string;
            /** Format: date-time */
            at: string;
            /** @description Details of the change, any JSON value. */
            data: unknown;
            /** @description SHA-256 over prevHash and the canonical JSON of the other fields. */
            hash: string;
            prevHash: string;
            seq: number;
            /** @example alert:42 */
            subject: string;
        };
        AuditPage: {
            items: components["schemas"]["AuditEntry"][];
            /** @description Pass as `afterSeq` to get the next page; absent on the last page. */
            nextAfterSeq?: number;
        };
        AuditVerification: {
            entries: number;
            head: string;
            /** @constant */
            ok: true;
        } | {
            brokenAt: number;
            entries: number;
            /** @constant */
            ok: false;
            /** @enum {unknown} */
            reason: "hash-mismatch" | "chain-broken" | "sequence-gap";
        };
        concentration: number;
        DependencyCheck: {
            /** @description Why the dependency is down (no secrets). */
            error?: string;
            /**
             * @description Which implementation answered.
             * @enum {unknown}
             */
            kind: "sqlite" | "postgres";
            latencyMs: number;
            /** @enum {unknown} */
            status: "up" | "down";
        };
        /**
         * Environmental monitoring reading
         * @description One averaged measurement of an air-quality monitoring station. Concentrations in µg/m³ (CO too, as in QĐ 1459/QĐ-TCMT); the reading is the mean over `periodMinutes` ending at `at`.
         */
        "env-reading.schema": {
            /**
             * Format: date-time
             * @description End of the averaging period, ISO 8601 with offset (Vietnam: +07:00).
             */
            at: string;
            /**
             * @description Length of the averaging period.
             * @default 60
             * @enum {integer}
             */
            periodMinutes: 1 | 5 | 15 | 60;
            values: {
                /** @description CO, µg/m³ */
                co?: components["schemas"]["concentration"];
                /** @description % */
                humidity?: number;
                /** @description NO2, µg/m³ */
                no2?: components["schemas"]["concentration"];
                /** @description O3, µg/m³ */
                o3?: components["schemas"]["concentration"];
                /** @description PM10, µg/m³ */
                pm10?: components["schemas"]["concentration"];
                /** @description PM2.5, µg/m³ */
                pm25?: components["schemas"]["concentration"];
                /** @description SO2, µg/m³ */
                so2?: components["schemas"]["concentration"];
                /** @description °C */
                temperature?: number;
            };
            $defs: {
                concentration: number;
            };
        };
        /** Environmental monitoring station */
        "env-station.schema": {
            /** @description Administrative-unit code of the district or city the station is in. */
            area?: string;
            /**
             * @description Stable station code, e.g. BG-KK-01.
             * @example BG-KK-01
             */
            id: string;
            /** @enum {unknown} */
            kind: "air" | "water";
            location: {
                lat: number;
                lon: number;
            };
            /** @example Trạm quan trắc không khí TP Bắc Giang */
            name: string;
        };
        Health: {
            /** @example @dttm/reference-server */
            service: string;
            /** @constant */
            status: "ok";
            uptimeSeconds: number;
            /** @example 0.1.0 */
            version: string;
        };
        IngestResult: {
            /** @description Readings stored now. */
            accepted: number;
            /** @description Readings already stored before (same station and instant). */
            duplicates: number;
        };
        /** @description RFC 9457 problem details. */
        Problem: {
            /** @description Stable machine-readable code. */
            code?: string;
            detail?: string;
            instance?: string;
            status: number;
            title: string;
            /**
             * Format: uri-reference
             * @example https://dttm.vn/problems/not-found
             */
            type: string;
        };
        Readiness: {
            checks: components["schemas"]["ReadinessChecks"];
            /** @constant */
            status: "ready";
        };
        ReadinessChecks: {
            storage: components["schemas"]["DependencyCheck"];
        };
        StationAqi: {
            daily: components["schemas"]["AqiValue"] & {
                /**
                 * Format: date
                 * @description The Vietnam calendar day.
                 */
                date: string;
            };
            hourly: components["schemas"]["AqiValue"] & {
                /**
                 * Format: date-time
                 * @description End of the hour, Vietnam time (+07:00).
                 */
                hourEnding: string;
            };
            stationId: string;
        };
        StoredReading: {
            /** Format: date-time */
            at: string;
            periodMinutes: number;
            /** Format: date-time */
            receivedAt: string;
            stationId: string;
            values: {
                [key: string]: number;
            };
        };
    };
    responses: {
        /** @description The request is malformed; `detail` says which parameter and why. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The token is valid but its roles do not grant the needed scope. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No such resource. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No valid bearer token; `reason` says why (missing-token, expired, wrong-audience, ...). */
        Unauthorized: {
            headers: {
                "WWW-Authenticate"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: {
        StationId: string;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listAuditEntries: {
        parameters: {
            query?: {
                /** @description Return records after this sequence number (exclusive). */
                afterSeq?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of records. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
        };
    };
    verifyAuditLog: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The verification result. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditVerification"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
        };
    };
    listStations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every registered station. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["env-station.schema"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
        };
    };
    createStation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["env-station.schema"];
            };
        };
        responses: {
            /** @description Registered. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["env-station.schema"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description A station with this id exists. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getStation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                stationId: components["parameters"]["StationId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The station. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["env-station.schema"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    getStationAqi: {
        parameters: {
            query?: {
                /** @description An instant within the hour of interest (ISO 8601 with offset). */
                at?: string;
            };
            header?: never;
            path: {
                stationId: components["parameters"]["StationId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The station's AQI. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StationAqi"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    listReadings: {
        parameters: {
            query?: {
                /** @description Inclusive start (ISO 8601 with offset). Default 24 hours before `to`. */
                from?: string;
                limit?: number;
                /** @description Exclusive end. Default now. */
                to?: string;
            };
            header?: never;
            path: {
                stationId: components["parameters"]["StationId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Readings. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["StoredReading"][];
                        stationId: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    ingestReadings: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                stationId: components["parameters"]["StationId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    readings: components["schemas"]["env-reading.schema"][];
                };
            };
        };
        responses: {
            /** @description Stored. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IngestResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    streamEvents: {
        parameters: {
            query?: {
                /** @description The bearer token, for clients that cannot send an Authorization header (RFC 6750 §2.3). */
                access_token?: string;
                /** @description Comma-separated event types to receive; all when absent. */
                types?: string;
            };
            header?: {
                "Last-Event-ID"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An open event stream. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
        };
    };
    getApiDocs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An HTML page rendering `/openapi.json` (no external assets). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is alive. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Metrics in the Prometheus text exposition format 0.0.4. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI 3.1 document of this server, with external references bundled. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        info: Record<string, never>;
                        openapi: string;
                        paths: Record<string, never>;
                    };
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready to serve traffic. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description A dependency is unavailable; `checks` says which. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        checks: components["schemas"]["ReadinessChecks"];
                    };
                };
            };
        };
    };
}
