using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Petitions.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class CategoryListingIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_petitions_category_status_closes_at_id",
                table: "petitions",
                columns: new[] { "category", "status", "closes_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_petitions_category_status_published_at_id",
                table: "petitions",
                columns: new[] { "category", "status", "published_at", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_petitions_category_status_closes_at_id",
                table: "petitions");

            migrationBuilder.DropIndex(
                name: "ix_petitions_category_status_published_at_id",
                table: "petitions");
        }
    }
}
