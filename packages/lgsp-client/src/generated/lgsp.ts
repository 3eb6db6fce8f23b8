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
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        CatalogueEthnicGroupPage: {
            data: components["schemas"]["EthnicGroup"][];
            page: number;
            size: number;
            total: number;
        };
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
        OAuthError: {
            /** @example invalid_client */
            error: string;
            error_description?: string;
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
    };
    responses: {
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
}
