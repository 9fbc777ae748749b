// The multipart-spec `Upload` scalar (graphql-upload). Its values are promises of files.
import GraphQLUploadScalar from "graphql-upload/GraphQLUpload.mjs";

export const GraphQLUpload = GraphQLUploadScalar;
