using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using NpgsqlTypes;

#nullable disable

namespace Petitions.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class PetitionTranslations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "language",
                table: "petitions",
                type: "character varying(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "en");

            // PostgreSQL cannot change a generated column's expression: drop it (and its index) and add it again.
            migrationBuilder.DropIndex(name: "ix_petitions_search_vector", table: "petitions");
            migrationBuilder.DropColumn(name: "search_vector", table: "petitions");
            migrationBuilder.AddColumn<NpgsqlTsVector>(
                name: "search_vector",
                table: "petitions",
                type: "tsvector",
                nullable: false,
                computedColumnSql: "setweight(to_tsvector((CASE language WHEN 'en' THEN 'english'::regconfig WHEN 'fr' THEN 'french'::regconfig WHEN 'de' THEN 'german'::regconfig WHEN 'es' THEN 'spanish'::regconfig ELSE 'simple'::regconfig END), coalesce(title, '')), 'A') || setweight(to_tsvector((CASE language WHEN 'en' THEN 'english'::regconfig WHEN 'fr' THEN 'french'::regconfig WHEN 'de' THEN 'german'::regconfig WHEN 'es' THEN 'spanish'::regconfig ELSE 'simple'::regconfig END), coalesce(body, '')), 'B')",
                stored: true);
            migrationBuilder.CreateIndex(
                name: "ix_petitions_search_vector",
                table: "petitions",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "GIN");

            migrationBuilder.CreateTable(
                name: "petition_translations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    petition_id = table.Column<long>(type: "bigint", nullable: false),
                    language = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    body_lead_html = table.Column<string>(type: "text", nullable: false),
                    body_more_html = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    edited_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    search_vector = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: false, computedColumnSql: "setweight(to_tsvector((CASE language WHEN 'en' THEN 'english'::regconfig WHEN 'fr' THEN 'french'::regconfig WHEN 'de' THEN 'german'::regconfig WHEN 'es' THEN 'spanish'::regconfig ELSE 'simple'::regconfig END), coalesce(title, '')), 'A') || setweight(to_tsvector((CASE language WHEN 'en' THEN 'english'::regconfig WHEN 'fr' THEN 'french'::regconfig WHEN 'de' THEN 'german'::regconfig WHEN 'es' THEN 'spanish'::regconfig ELSE 'simple'::regconfig END), coalesce(body, '')), 'B')", stored: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_petition_translations", x => x.id);
                    table.ForeignKey(
                        name: "fk_petition_translations_petitions_petition_id",
                        column: x => x.petition_id,
                        principalTable: "petitions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_petition_translations_petition_id_language",
                table: "petition_translations",
                columns: new[] { "petition_id", "language" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_petition_translations_search_vector",
                table: "petition_translations",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "GIN");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "petition_translations");

            // PostgreSQL cannot change a generated column's expression: drop it (and its index) and add it again.
            migrationBuilder.DropIndex(name: "ix_petitions_search_vector", table: "petitions");
            migrationBuilder.DropColumn(name: "search_vector", table: "petitions");
            migrationBuilder.AddColumn<NpgsqlTsVector>(
                name: "search_vector",
                table: "petitions",
                type: "tsvector",
                nullable: false,
                computedColumnSql: "setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(body, '')), 'B')",
                stored: true);
            migrationBuilder.CreateIndex(
                name: "ix_petitions_search_vector",
                table: "petitions",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "GIN");

            migrationBuilder.DropColumn(
                name: "language",
                table: "petitions");
        }
    }
}
