"""A small second Aimbase-like service (dealers and their products) for the `codegen init` tests."""

from __future__ import annotations

DEALERS_CSDL = """<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="AimbaseDealers" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="Dealer">
        <Key><PropertyRef Name="Id"/></Key>
        <Property Name="Id" Type="Edm.Int32" Nullable="false"/>
        <Property Name="Name" Type="Edm.String" MaxLength="100"/>
        <Property Name="City" Type="Edm.String"/>
        <NavigationProperty Name="Products" Type="Collection(AimbaseDealers.Product)"/>
      </EntityType>
      <EntityType Name="Product">
        <Key><PropertyRef Name="Id"/></Key>
        <Property Name="Id" Type="Edm.Int32" Nullable="false"/>
        <Property Name="Name" Type="Edm.String"/>
        <Property Name="Price" Type="Edm.Decimal" Scale="2"/>
      </EntityType>
      <EntityContainer Name="Container">
        <EntitySet Name="Dealers" EntityType="AimbaseDealers.Dealer">
          <NavigationPropertyBinding Path="Products" Target="Products"/>
        </EntitySet>
        <EntitySet Name="Products" EntityType="AimbaseDealers.Product"/>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"""

# The same service in CSDL JSON (OData 4.01), to show the copy is named after its content.
DEALERS_CSDL_JSON = """{
  "$Version": "4.01",
  "$EntityContainer": "AimbaseDealers.Container",
  "AimbaseDealers": {
    "Dealer": {"$Kind": "EntityType", "$Key": ["Id"], "Id": {"$Type": "Edm.Int32"}, "Name": {"$Nullable": true}},
    "Container": {"$Kind": "EntityContainer", "Dealers": {"$Collection": true, "$Type": "AimbaseDealers.Dealer"}}
  }
}
"""
