using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Meterai.Server.Api;

/// <summary>
/// Puts each endpoint's <see cref="ProblemCodes"/> into the OpenAPI document: one response per status, typed as the
/// shared <c>Problem</c> schema (RFC 9457 plus <c>code</c>), its description listing the codes, and the same list
/// machine-readable in <c>x-problem-codes</c>.
/// </summary>
internal static class OpenApiProblems
{
    public const string SchemaName = "Problem";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Meterai e-Meterai service";
            document.Info.Description = "Issue, distribute, stamp and verify e-Meterai (Indonesian electronic stamp duty). Errors are RFC 9457 problem details with a stable `code`.";
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            document.Components.Schemas[SchemaName] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "RFC 9457 problem details with the project's stable error code.",
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                    ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "stable snake_case error code" },
                    ["correlation_id"] = new OpenApiSchema { Type = JsonSchemaType.String },
                },
                Required = new HashSet<string> { "status", "code" },
            };
            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, _) =>
        {
            var declared = context.Description.ActionDescriptor.EndpointMetadata.OfType<ProblemCodes>().ToList();
            if (declared.Count == 0) return Task.CompletedTask;
            operation.Responses ??= new OpenApiResponses();
            var all = new JsonObject();
            foreach (var group in declared.GroupBy(p => p.Status).OrderBy(g => g.Key))
            {
                var codes = group.SelectMany(g => g.Codes).Distinct().ToList();
                all[group.Key.ToString(CultureInfo.InvariantCulture)] = new JsonArray(codes.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray());
                operation.Responses[group.Key.ToString(CultureInfo.InvariantCulture)] = new OpenApiResponse
                {
                    Description = $"{Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(group.Key)}: code {string.Join(", ", codes)}",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [ApiProblem.ContentType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(SchemaName, context.Document) },
                    },
                };
            }

            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions["x-problem-codes"] = new JsonNodeExtension(all);
            return Task.CompletedTask;
        });
    }
}
