export {
  FhirTestServer,
  type FhirFault,
  type FhirTestServerOptions,
  type RecordedRequest,
  type StoredResource,
} from './fhir-server.js';
