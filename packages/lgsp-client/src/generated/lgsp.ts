/**
 * DO NOT EDIT: generated from specs/openapi/lgsp.yaml by `npm run specs`.
 * Edit the specification and regenerate instead.
 */

export interface paths {
    "/dmdc_DmMaDanToc_Data/1.0": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Shared catalogue of ethnic groups (danh mục dân tộc), paged */
        get: operations["listEthnicGroups"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/dvcqg/1.0/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Open a public-service portal session */
        post: operations["portalLogin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/dvcqg/1.0/service": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Call a portal service (`LayDanhSachTTHC`, `LayThuTuc`, `LayDanhMucCoQuan`, `LayDanhMucLinhVuc`, `DongBoHoSoMC`, `CapNhatTienDoHoSoMC`)
         * @description `DongBoHoSoMC` is not idempotent on the portal (a repeated create is a second dossier); the
         *     client de-duplicates on `{receivingAgency}:{MaHoSo}:{version}`.
         */
        post: operations["portalService"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Obtain an access token (OAuth2 client credentials)
         * @description `Authorization: Basic base64(consumerKey:consumerSecret)`. WSO2 returns the same token until it
         *     expires; an administrator's password change revokes every token.
         */
        post: operations["getToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/getAgenciesList": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The agencies connected to the axis */
        get: operations["getAgenciesList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/getEdoc": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download one message as base64 edXML */
        get: operations["getEdoc"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sendEdoc": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send an edXML document or status package
         * @description Not idempotent: the axis assigns a new `docId` to every call, so a repeated call delivers a
         *     copy (receivers drop it by the edXML `DocumentId`). Clients keep an outbox and retry network
         *     errors and 5xx; 4xx and an error description are final.
         */
        post: operations["sendEdoc"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/syncReceivedEdocList": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the messages waiting for the caller's agency */
        get: operations["getReceivedEdocList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/updateStatus": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report what the recipient did with a message (done, fail, processing)
         * @description Idempotent (setting a status twice sets it once), so clients retry it.
         */
        post: operations["updateStatus"];
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
        Agency: {
            code: components["schemas"]["AgencyCode"];
            name: string;
        };
        /**
         * @description Agency identifier (mã định danh) `AAA.BB.CC.Lnn`
         * @example 000.00.00.G22
         */
        AgencyCode: string;
        AgencyList: components["schemas"]["AxisResult"] & {
            data: components["schemas"]["Agency"][];
        };
        /** @example 2026/11/27 */
        AxisDay: string;
        /** @description Result of a document-axis call; `status` is "OK" or the axis's error description */
        AxisResult: {
            /**
             * @example OK
             * @example Không tìm thấy đơn vị nhận 000.00.00.H99
             */
            status: string;
        };
        CatalogueEthnicGroupPage: {
            data: components["schemas"]["EthnicGroup"][];
            page: number;
            size: number;
            total: number;
        };
        /** @enum {string} */
        EdocMessageType: "edoc" | "status";
        EthnicGroup: {
            /** @description Code */
            Ma: string;
            /** @description Name */
            Ten: string;
        };
        /** @description The WSO2 gateway's error body */
        GatewayError: {
            /** @example 900901 */
            code?: number;
            description?: string;
            message?: string;
        };
        GetEdocResult: components["schemas"]["AxisResult"] & {
            /** @description The edXML package, base64 */
            data: string;
        };
        OAuthError: {
            /** @example invalid_client */
            error: string;
            error_description?: string;
        };
        /** @description `yyyyMMddHHmmss` in Vietnam time (UTC+07:00) */
        PortalDate: string;
        PortalDossier: {
            ChuHoSo: string;
            DiaChi?: string;
            Email?: string;
            /** @enum {string} */
            KenhThucHien?: "1" | "2" | "3";
            MaCoQuan: components["schemas"]["AgencyCode"];
            MaHoSo: string;
            MaTTHC: string;
            NgayHenTra?: components["schemas"]["PortalDate"];
            NgayKetThucXuLy?: components["schemas"]["PortalDate"];
            NgayNopHoSo?: components["schemas"]["PortalDate"];
            NgayTiepNhan: components["schemas"]["PortalDate"];
            SoDienThoai?: string;
            SoGiayToChuHoSo?: string;
            TrangThaiHoSo: components["schemas"]["PortalDossierStatus"];
            TrichYeuHoSo?: string;
        };
        PortalDossierProgress: {
            ChucDanh?: string;
            MaHoSo: string;
            NgayBatDau?: components["schemas"]["PortalDate"];
            NgayKetThucTheoQuyDinh?: components["schemas"]["PortalDate"];
            NguoiXuLy: string;
            NoiDungXuLy: string;
            PhongBanXuLy?: string;
            ThoiDiemXuLy: components["schemas"]["PortalDate"];
            TrangThai: components["schemas"]["PortalDossierStatus"];
        };
        /** @enum {string} */
        PortalDossierStatus: "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "10";
        PortalLoginRequest: {
            password: string;
            username: string;
        };
        PortalLoginResult: components["schemas"]["PortalResult"] & {
            session?: string;
        };
        PortalResult: {
            data?: unknown;
            /** @description 0 on success */
            error_code: number | string;
            message?: string;
        };
        PortalServiceRequest: {
            data?: (components["schemas"]["PortalDossier"] | components["schemas"]["PortalDossierProgress"])[];
            /** @description `DongBoHoSoMC`: false creates the dossier, true replaces it (the simulator creates it when it has none); the client sends true on a repeat after a failure the portal may have stored */
            isUpdating?: boolean;
            maCoQuan?: string;
            maTTHC?: string;
            page?: number;
            pageSize?: number;
            /** @enum {string} */
            service: "LayDanhSachTTHC" | "LayThuTuc" | "LayDanhMucCoQuan" | "LayDanhMucLinhVuc" | "DongBoHoSoMC" | "CapNhatTienDoHoSoMC";
            session: string;
        };
        ReceivedEdoc: {
            created?: components["schemas"]["AxisDay"];
            docId: string;
            from?: components["schemas"]["AgencyCode"];
            messageType?: components["schemas"]["EdocMessageType"];
        };
        ReceivedEdocList: components["schemas"]["AxisResult"] & {
            data: components["schemas"]["ReceivedEdoc"][];
        };
        SendEdocForm: {
            /** @description The edXML package (QCVN 102:2016) */
            file: string;
            header: components["schemas"]["SendEdocHeader"];
        };
        SendEdocHeader: {
            from: components["schemas"]["AgencyCode"];
            messagetype: components["schemas"]["EdocMessageType"];
            /** @constant */
            servicetype: "eDoc";
        };
        SendEdocResult: components["schemas"]["AxisResult"] & {
            /** @description Identifier the axis gave the message (present when `status` is "OK") */
            docId?: string;
        };
        TokenRequest: {
            /** @constant */
            grant_type: "client_credentials";
            scope?: string;
        };
        TokenResponse: {
            access_token: string;
            /** @description Seconds until the token expires */
            expires_in: number;
            scope?: string;
            /** @example Bearer */
            token_type: string;
        };
        UpdateStatusRequest: {
            /** @description Why, for `fail` */
            description?: string;
            docId: string;
            /** @enum {string} */
            status: "done" | "fail" | "processing";
        };
    };
    responses: {
        /** @description The document axis refused the request; `status` carries its description */
        AxisError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["AxisResult"];
            };
        };
        /** @description No API matches the context and version */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["GatewayError"];
            };
        };
        /** @description Missing, expired or revoked credentials */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["GatewayError"];
            };
        };
    };
    parameters: {
        /** @description UUID sent by the client on every call (the same on every retry of one call) */
        RequestId: string;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listEthnicGroups: {
        parameters: {
            query?: {
                /** @description 1-based page number */
                page?: number;
                /** @description Items per page */
                size?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the catalogue (shape served by the protocol simulator) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CatalogueEthnicGroupPage"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    portalLogin: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PortalLoginRequest"];
            };
        };
        responses: {
            /** @description A session token, or `error_code` ≠ 0 when the credentials are refused */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PortalLoginResult"];
                };
            };
        };
    };
    portalService: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PortalServiceRequest"];
            };
        };
        responses: {
            /** @description `error_code` 0 and the service's `data`, or `error_code` ≠ 0 and `message` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PortalResult"];
                };
            };
            /** @description The request was refused (not retried) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PortalResult"];
                };
            };
            /** @description The session is expired or unknown (`error_code` 401); log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PortalResult"];
                };
            };
        };
    };
    getToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TokenRequest"];
            };
        };
        responses: {
            /** @description A token */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            /** @description Unsupported grant type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            /** @description Wrong consumer key or secret */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
        };
    };
    getAgenciesList: {
        parameters: {
            query?: never;
            header?: {
                /** @description UUID sent by the client on every call (the same on every retry of one call) */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Agencies with their codes (mã định danh) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgencyList"];
                };
            };
            401: components["responses"]["AxisError"];
        };
    };
    getEdoc: {
        parameters: {
            query: {
                docId: string;
            };
            header?: {
                /** @description UUID sent by the client on every call (the same on every retry of one call) */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The edXML package, base64-encoded */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetEdocResult"];
                };
            };
            401: components["responses"]["AxisError"];
            404: components["responses"]["AxisError"];
        };
    };
    sendEdoc: {
        parameters: {
            query?: never;
            header?: {
                /** @description UUID sent by the client on every call (the same on every retry of one call) */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["SendEdocForm"];
            };
        };
        responses: {
            /** @description `status` "OK" and the message id, or an error description in `status` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SendEdocResult"];
                };
            };
            400: components["responses"]["AxisError"];
            401: components["responses"]["AxisError"];
            403: components["responses"]["AxisError"];
        };
    };
    getReceivedEdocList: {
        parameters: {
            query: {
                /** @description First day, `YYYY/MM/DD` (Vietnam time) */
                fromDate: components["schemas"]["AxisDay"];
                messageType: components["schemas"]["EdocMessageType"];
                /** @description Last day (inclusive), `YYYY/MM/DD` (Vietnam time) */
                toDate: components["schemas"]["AxisDay"];
            };
            header?: {
                /** @description UUID sent by the client on every call (the same on every retry of one call) */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The waiting messages */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReceivedEdocList"];
                };
            };
            400: components["responses"]["AxisError"];
            401: components["responses"]["AxisError"];
        };
    };
    updateStatus: {
        parameters: {
            query?: never;
            header?: {
                /** @description UUID sent by the client on every call (the same on every retry of one call) */
                "X-Request-Id"?: components["parameters"]["RequestId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateStatusRequest"];
            };
        };
        responses: {
            /** @description `status` "OK", or an error description */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AxisResult"];
                };
            };
            /** @description Done (no body) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["AxisError"];
            404: components["responses"]["AxisError"];
        };
    };
}
