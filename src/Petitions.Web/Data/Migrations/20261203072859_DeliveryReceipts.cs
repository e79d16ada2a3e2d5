using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Petitions.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeliveryReceipts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "merkle_root",
                table: "deliveries",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "salt_key",
                table: "deliveries",
                type: "bytea",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "delivery_trees",
                columns: table => new
                {
                    delivery_id = table.Column<long>(type: "bigint", nullable: false),
                    leaves = table.Column<byte[]>(type: "bytea", nullable: false),
                    signature_ids = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_delivery_trees", x => x.delivery_id);
                    table.ForeignKey(
                        name: "fk_delivery_trees_deliveries_delivery_id",
                        column: x => x.delivery_id,
                        principalTable: "deliveries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "delivery_trees");

            migrationBuilder.DropColumn(
                name: "merkle_root",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "salt_key",
                table: "deliveries");
        }
    }
}
